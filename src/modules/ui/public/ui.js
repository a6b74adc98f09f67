// Progressive enhancement for the settings UI; every page also works without it.
(function () {
  'use strict';

  // Copy buttons: data-copy="<id of the input to copy>".
  document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-copy]');
    if (!button) return;
    var source = document.getElementById(button.getAttribute('data-copy'));
    if (!source) return;
    var text = source.value !== undefined ? source.value : source.textContent;
    var done = function () { button.textContent = 'Copied'; setTimeout(function () { button.textContent = 'Copy'; }, 1500); };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, function () { source.select(); });
    else { source.select(); document.execCommand('copy'); done(); }
  });

  // Forms that need a confirmation: data-confirm="question".
  document.addEventListener('submit', function (event) {
    var question = event.target.getAttribute && event.target.getAttribute('data-confirm');
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // Editable tables: "Add" clones the blank row, "Remove" drops a row (the server ignores empty rows).
  document.addEventListener('click', function (event) {
    var add = event.target.closest('[data-add-row]');
    if (add) {
      var body = document.querySelector('#' + add.getAttribute('data-add-row') + ' tbody');
      var blank = body && body.querySelector('[data-blank-row]');
      if (!blank) return;
      var row = blank.cloneNode(true);
      row.querySelectorAll('input').forEach(function (input) { input.value = ''; });
      row.querySelectorAll('select').forEach(function (select) { select.selectedIndex = 0; });
      body.appendChild(row);
      var first = row.querySelector('input, select');
      if (first) first.focus();
      return;
    }
    var remove = event.target.closest('[data-remove-row]');
    if (remove) {
      var tr = remove.closest('tr');
      var rows = tr.parentNode.querySelectorAll('tr');
      if (rows.length > 1) tr.remove();
      else tr.querySelectorAll('input').forEach(function (input) { input.value = ''; });
    }
  });

  // The email/username field only applies to basic auth.
  var authType = document.querySelector('[data-auth-type]');
  if (authType) {
    var sync = function () {
      document.querySelectorAll('[data-basic-only]').forEach(function (el) { el.hidden = authType.value !== 'basic'; });
    };
    authType.addEventListener('change', sync);
    sync();
  }
})();
