// mdbook-frameworks: labels each table cell with its column's heading
// (data-label), which mdbook-frameworks.css shows when a wide table is stacked
// one row per block on a narrow screen. Added by `mdbook-frameworks install`
// (output.html.additional-js). Without it the stacked cells are still all there,
// only unlabelled.
(function () {
  'use strict';
  function label() {
    document.querySelectorAll('main table').forEach(function (table) {
      var head = table.tHead && table.tHead.rows[0];
      if (!head) return;
      var names = Array.prototype.map.call(head.cells, function (cell) {
        return cell.textContent.trim();
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          Array.prototype.forEach.call(row.cells, function (cell, i) {
            if (names[i] && !cell.hasAttribute('data-label')) {
              cell.setAttribute('data-label', names[i]);
            }
          });
        });
      });
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', label);
  } else {
    label();
  }
})();
