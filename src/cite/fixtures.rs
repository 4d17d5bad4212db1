//! The works the citation engine's tests cite, and helpers to ask for citations.

use super::{CitationRequest, CitationStyle, CiteForm, CiteItem, RenderedCitation, Segment};
use crate::model::{Locator, Work, WorkFormat, works};
use std::path::Path;

/// The works of these tests, as a book's `.bib` file would give them.
pub(super) fn bib(whitepaper_year: i32) -> String {
    format!(
        r#"@inproceedings{{paszke2019pytorch,
  author = {{Paszke, Adam and Gross, Sam and Massa, Francisco and Lerer, Adam and Bradbury, James and Chanan, Gregory and Killeen, Trevor and Lin, Zeming and Gimelshein, Natalia and Antiga, Luca and Desmaison, Alban and K{{\"o}}pf, Andreas and Yang, Edward and DeVito, Zachary and Raison, Martin and Tejani, Alykhan and Chilamkurthy, Sasank and Steiner, Benoit and Fang, Lu and Bai, Junjie and Chintala, Soumith}},
  title = {{{{PyTorch}}: An Imperative Style, High-Performance Deep Learning Library}},
  editor = {{Wallach, H. and Larochelle, H. and Beygelzimer, A. and d'Alch{{\'e}}-Buc, F. and Fox, E. and Garnett, R.}},
  booktitle = {{Advances in Neural Information Processing Systems 32}},
  publisher = {{Curran Associates, Inc.}},
  pages = {{8024--8035}}, year = {{2019}},
  eprint = {{1912.01703}}, eprinttype = {{arxiv}},
}}
@inproceedings{{abadi2016tensorflow,
  author = {{Abadi, Mart{{\'i}}n and Barham, Paul and Chen, Jianmin and Chen, Zhifeng and Davis, Andy and Dean, Jeffrey and Devin, Matthieu and Ghemawat, Sanjay and Irving, Geoffrey and Isard, Michael and Kudlur, Manjunath and Levenberg, Josh and Monga, Rajat and Moore, Sherry and Murray, Derek G. and Steiner, Benoit and Tucker, Paul and Vasudevan, Vijay and Warden, Pete and Wicke, Martin and Yu, Yuan and Zheng, Xiaoqiang}},
  title = {{{{TensorFlow}}: A System for Large-Scale Machine Learning}},
  booktitle = {{12th {{USENIX}} Symposium on Operating Systems Design and Implementation ({{OSDI}} 16)}},
  publisher = {{{{USENIX}} Association}},
  pages = {{265--283}}, year = {{2016}},
  eprint = {{1605.08695}}, eprinttype = {{arxiv}},
}}
@techreport{{abadi2015tensorflow,
  author = {{Abadi, Mart{{\'i}}n and Agarwal, Ashish and Barham, Paul and Brevdo, Eugene and Chen, Zhifeng and Citro, Craig and Corrado, Greg S. and Davis, Andy and Dean, Jeffrey and Devin, Matthieu}},
  title = {{{{TensorFlow}}: Large-Scale Machine Learning on Heterogeneous Distributed Systems}},
  institution = {{Google Research}}, type = {{White paper}},
  year = {{{whitepaper_year}}},
  eprint = {{1603.04467}}, eprinttype = {{arxiv}}, doi = {{10.48550/arXiv.1603.04467}},
}}
@software{{bradbury2018jax,
  author = {{Bradbury, James and Frostig, Roy}},
  title = {{{{JAX}}: composable transformations of {{Python}}+{{NumPy}} programs}},
  year = {{2018}}, url = {{https://github.com/jax-ml/jax}}, urldate = {{2024-05-01}},
}}
@online{{pytorch2024compile,
  author = {{{{PyTorch Contributors}}}},
  title = {{{{torch.compile}}}}, organization = {{PyTorch documentation}},
  year = {{2024}}, url = {{https://pytorch.org/docs/stable/torch.compiler.html}}, urldate = {{2024-05-01}},
}}
@misc{{oneil2020escaping,
  author = {{O'Neil, Cathy}},
  title = {{Escaping <script>alert(1)</script> \& "quotes" | pipes}},
  year = {{2020}}, eprint = {{2001.00001}}, eprinttype = {{arxiv}},
  url = {{https://arxiv.org/abs/2001.00001}},
}}
"#
    )
}

pub(super) fn read_bib(text: &str) -> Vec<Work> {
    let (works, problems) = works::read(WorkFormat::BibTeX, Path::new("t.bib"), text);
    assert!(problems.is_empty(), "{problems:?}");
    works
}

pub(super) fn all_papers(whitepaper_year: i32) -> Vec<Work> {
    read_bib(&bib(whitepaper_year))
}

pub(super) fn style(name: &str) -> CitationStyle {
    CitationStyle::load(name, Path::new(".")).unwrap()
}

pub(super) fn cite(keys: &[&str], form: CiteForm) -> CitationRequest {
    CitationRequest {
        items: keys
            .iter()
            .map(|k| CiteItem {
                key: k.to_string(),
                locator: None,
            })
            .collect(),
        form,
        prefix: None,
        suffix: None,
    }
}

pub(super) fn with_locator(key: &str, locator: Locator, form: CiteForm) -> CitationRequest {
    CitationRequest {
        items: vec![CiteItem {
            key: key.into(),
            locator: Some(locator),
        }],
        form,
        prefix: None,
        suffix: None,
    }
}

pub(super) fn md(c: &RenderedCitation) -> String {
    c.to_markdown()
}

pub(super) fn work(key: &str, markdown: &str) -> Segment {
    Segment::Work {
        key: key.into(),
        markdown: markdown.into(),
    }
}

pub(super) fn text(t: &str) -> Segment {
    Segment::Text(t.into())
}

pub(super) const PT: &str = "paszke2019pytorch";
pub(super) const TF: &str = "abadi2016tensorflow";
pub(super) const WP: &str = "abadi2015tensorflow";
