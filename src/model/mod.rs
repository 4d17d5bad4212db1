//! The shared data model of frameworks, dimensions of comparison, sourced claims,
//! citable works and milestones.
//!
//! The built-in deep-learning dataset is embedded at compile time and parsed once
//! per process: frameworks, dimensions, claims and events in TOML, the works they
//! cite in a BibTeX file. A book may add its own TOML and bibliography files
//! (BibTeX, hayagriva YAML, CSL-JSON) on top of it, or start from an empty model,
//! all through the same loader and validation.

mod freshness;
mod load;
mod types;
mod versions;
pub mod works;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

pub use freshness::{OPEN_ENDED_RECHECK_DAYS, StaleFact};
pub use load::{DataFile, ModelBuilder, Override};
pub use types::*;
pub use versions::{overlaps, parse_pin};
pub use works::{Origin, Work, WorkFormat};

/// The built-in dataset, as shipped.
pub const BUILTIN_DATA: &str = include_str!("builtin.toml");

/// Where the built-in dataset says it comes from, in diagnostics.
pub const BUILTIN_DATA_PATH: &str = "<built-in data>/builtin.toml";

/// The built-in works, as shipped: a BibTeX file read like any book's.
pub const BUILTIN_WORKS: &str = include_str!("builtin.bib");

/// Where the built-in works say they come from, in diagnostics.
pub const BUILTIN_WORKS_PATH: &str = "<built-in data>/builtin.bib";

/// A validated model: every id that a claim, source or event names resolves.
#[derive(Debug, Clone, Default)]
pub struct Model {
    frameworks: Vec<Framework>,
    dimensions: Vec<Dimension>,
    claims: Vec<Claim>,
    works: Vec<Work>,
    events: Vec<Event>,
    framework_index: HashMap<String, usize>,
    dimension_index: HashMap<String, usize>,
    work_index: HashMap<String, usize>,
    /// Claims by (framework, dimension), in data order.
    cell_index: HashMap<(String, String), Vec<usize>>,
    /// Works whose entries could not be read, by key, where they are.
    skipped_works: HashMap<String, Origin>,
    /// Whether data problems left records out of this model.
    incomplete: bool,
}

impl Model {
    /// The built-in dataset, parsed and validated once per process.
    ///
    /// # Panics
    /// Never at run time: the built-in data is validated by the test suite, and an
    /// invalid file fails `cargo test` before it can ship.
    pub fn builtin() -> &'static Model {
        Self::shared_builtin_ref()
    }

    /// The built-in dataset as a shared value, for what holds a model by
    /// [`Arc`] (an [`crate::expand::Expander`]): cloning it copies a pointer.
    pub fn shared_builtin() -> Arc<Model> {
        Arc::clone(Self::builtin_arc())
    }

    fn shared_builtin_ref() -> &'static Model {
        Self::builtin_arc()
    }

    fn builtin_arc() -> &'static Arc<Model> {
        static BUILTIN: OnceLock<Arc<Model>> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let mut builder = ModelBuilder::new();
            builder.add_works(BUILTIN_WORKS_PATH.as_ref(), BUILTIN_WORKS);
            builder.add_toml(BUILTIN_DATA_PATH.as_ref(), BUILTIN_DATA);
            match builder.build() {
                Ok((model, _)) => Arc::new(model),
                Err(problems) => {
                    let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
                    panic!("the built-in data is invalid:\n{}", list.join("\n"))
                }
            }
        })
    }

    /// Frameworks, in data order.
    pub fn frameworks(&self) -> &[Framework] {
        &self.frameworks
    }

    /// Dimensions, in data order.
    pub fn dimensions(&self) -> &[Dimension] {
        &self.dimensions
    }

    /// The dimensions of the default comparison table: those marked `default`, or all.
    pub fn default_dimensions(&self) -> Vec<&Dimension> {
        let marked: Vec<&Dimension> = self.dimensions.iter().filter(|d| d.default).collect();
        if marked.is_empty() {
            self.dimensions.iter().collect()
        } else {
            marked
        }
    }

    /// All claims, in data order.
    pub fn claims(&self) -> &[Claim] {
        &self.claims
    }

    /// All citable works, in data order.
    pub fn works(&self) -> &[Work] {
        &self.works
    }

    /// Timeline milestones, in data order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Looks up a framework by id.
    pub fn framework(&self, id: &str) -> Option<&Framework> {
        self.framework_index.get(id).map(|&i| &self.frameworks[i])
    }

    /// Looks up a dimension by id.
    pub fn dimension(&self, id: &str) -> Option<&Dimension> {
        self.dimension_index.get(id).map(|&i| &self.dimensions[i])
    }

    /// Looks up a work by citation key.
    pub fn work(&self, key: &str) -> Option<&Work> {
        self.work_index.get(key).map(|&i| &self.works[i])
    }

    /// The claims about one framework along one dimension, in data order.
    pub fn claims_for(&self, framework: &str, dimension: &str) -> impl Iterator<Item = &Claim> {
        self.cell_index
            .get(&(framework.to_owned(), dimension.to_owned()))
            .into_iter()
            .flatten()
            .map(|&i| &self.claims[i])
    }

    fn from_parts(
        frameworks: Vec<Framework>,
        dimensions: Vec<Dimension>,
        claims: Vec<Claim>,
        works: Vec<Work>,
        events: Vec<Event>,
    ) -> Self {
        let index = |ids: Vec<&str>| -> HashMap<String, usize> {
            ids.into_iter()
                .enumerate()
                .map(|(i, id)| (id.to_owned(), i))
                .collect()
        };
        let framework_index = index(frameworks.iter().map(|f| f.id.as_str()).collect());
        let dimension_index = index(dimensions.iter().map(|d| d.id.as_str()).collect());
        let work_index = index(works.iter().map(Work::key).collect());
        let mut cell_index: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for (i, claim) in claims.iter().enumerate() {
            cell_index
                .entry((claim.framework.clone(), claim.dimension.clone()))
                .or_default()
                .push(i);
        }
        Model {
            frameworks,
            dimensions,
            claims,
            works,
            events,
            framework_index,
            dimension_index,
            work_index,
            cell_index,
            skipped_works: HashMap::new(),
            incomplete: false,
        }
    }

    /// Whether data problems (reported when the model was built) left records
    /// out: a directive that finds nothing to show should say so.
    pub fn is_incomplete(&self) -> bool {
        self.incomplete
    }

    /// What to tell an author who cites `key`, which the model lacks: that its
    /// entry could not be read (and where), else the closest known key, else
    /// how to list the keys.
    pub fn unknown_work_hint(&self, key: &str) -> String {
        if let Some(origin) = self.skipped_works.get(key) {
            return format!(
                "its entry at {origin} could not be read: fix the problem reported there"
            );
        }
        crate::diagnostics::did_you_mean(key, self.works.iter().map(Work::key)).unwrap_or_else(
            || "run `mdbook-frameworks list works` to see the known keys".to_owned(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Else a book citing both would be warned about data it did not write.
    #[test]
    fn no_two_builtin_works_are_one_publication() {
        let mut seen = HashMap::new();
        for work in Model::builtin().works() {
            for identity in work.identities() {
                if let Some(other) = seen.insert(identity.clone(), work.key()) {
                    panic!("{} and {} share {identity:?}", other, work.key());
                }
            }
        }
        assert!(seen.len() > Model::builtin().works().len());
    }

    #[test]
    fn builtin_data_is_valid_and_complete() {
        let model = Model::builtin();
        for id in ["pytorch", "tensorflow", "keras", "theano"] {
            assert!(model.framework(id).is_some(), "framework {id}");
        }
        for key in [
            "paszke2019pytorch",
            "abadi2015tensorflow",
            "abadi2016tensorflow",
        ] {
            assert!(model.work(key).is_some(), "work {key}");
        }
        let study = [
            "execution-model",
            "computational-abstraction",
            "automatic-differentiation",
            "distributed-execution",
            "debugging",
            "research-production",
            "design-philosophy",
        ];
        let defaults: Vec<&str> = model
            .default_dimensions()
            .iter()
            .map(|d| d.id.as_str())
            .collect();
        assert_eq!(defaults, study);
        for framework in model.frameworks() {
            for dimension in model.dimensions() {
                assert!(
                    model
                        .claims_for(&framework.id, &dimension.id)
                        .next()
                        .is_some(),
                    "no claim for {} × {}",
                    framework.id,
                    dimension.id
                );
            }
        }
    }

    #[test]
    fn fixed_works_have_their_identifiers() {
        let model = Model::builtin();
        let pytorch = model.work("paszke2019pytorch").unwrap();
        assert_eq!(
            (pytorch.year(), pytorch.entry.arxiv()),
            (Some(2019), Some("1912.01703"))
        );
        let whitepaper = model.work("abadi2015tensorflow").unwrap();
        assert_eq!(
            (whitepaper.year(), whitepaper.month()),
            (Some(2015), Some(11))
        );
        assert_eq!(whitepaper.kind_label(), "Report");
        let arxiv = model.work("abadi2016tensorflowarxiv").unwrap();
        assert_eq!(
            (arxiv.year(), arxiv.entry.arxiv()),
            (Some(2016), Some("1603.04467"))
        );
        assert_eq!(
            model.work("abadi2016tensorflow").unwrap().year(),
            Some(2016)
        );
    }

    #[test]
    fn builtin_works_lack_no_required_field() {
        for work in Model::builtin().works() {
            assert!(
                work.missing.is_empty(),
                "{}: {:?}",
                work.key(),
                work.missing
            );
        }
    }
}
