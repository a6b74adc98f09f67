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

  // List editors (routes, condition rows, value maps). Without JavaScript their buttons post the
  // form and the server answers with the change made; here the change is made in the page. Every
  // field's name is its path (routes[0].when[1].op), so after a change all names are recomputed
  // from the structure: [data-list] holds [data-item]s, inputs carry their own name in data-field.
  function itemsOf(list) {
    return Array.prototype.filter.call(list.querySelectorAll('[data-item]'), function (item) {
      return item.parentElement.closest('[data-list]') === list;
    });
  }
  function pathOf(el) {
    if (el.hasAttribute('data-list')) {
      var owner = el.parentElement && el.parentElement.closest('[data-item]');
      return (owner ? pathOf(owner) + '.' : '') + el.getAttribute('data-list');
    }
    var list = el.parentElement.closest('[data-list]');
    return pathOf(list) + '[' + itemsOf(list).indexOf(el) + ']';
  }
  function renumber(root) {
    root.querySelectorAll('[data-field]').forEach(function (field) {
      field.name = pathOf(field.closest('[data-item]')) + '.' + field.getAttribute('data-field');
    });
    root.querySelectorAll('[data-number]').forEach(function (number) {
      var item = number.closest('[data-item]');
      number.textContent = String(itemsOf(item.parentElement.closest('[data-list]')).indexOf(item) + 1);
    });
    root.querySelectorAll('[data-action]').forEach(function (button) {
      var verb = button.getAttribute('data-action');
      var target = verb === 'add' ? button.closest('[data-list]') : button.closest('[data-item]');
      button.value = verb + ':' + pathOf(target);
      if (verb === 'up' || verb === 'down') {
        var items = itemsOf(target.parentElement.closest('[data-list]'));
        button.disabled = verb === 'up' ? items[0] === target : items[items.length - 1] === target;
      }
    });
  }
  var VALUE_EXAMPLES = { 'in': 'iOS, Android', 'not in': 'staging, dev', 'matches': '^Timeout', 'contains': 'timeout', '>=': '2.0.0', '<': '2.0.0', 'exists': '' };
  function syncValueInput(select) {
    // exists takes no value: its input is disabled (and so not sent) until another operator is chosen.
    var value = select.closest('[data-item]').querySelector('[data-field="value"]');
    if (!value) return;
    value.disabled = select.value === 'exists';
    value.placeholder = select.value in VALUE_EXAMPLES ? VALUE_EXAMPLES[select.value] : 'production';
  }
  document.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-action]');
    if (!button || button.disabled) return;
    var verb = button.getAttribute('data-action');
    var form = button.form;
    event.preventDefault();
    if (verb === 'add') {
      var list = button.closest('[data-list]');
      var template = document.querySelector('template[data-blank-template="' + list.getAttribute('data-blank') + '"]');
      var holder = list.querySelector('[data-items]');
      if (!template || !holder) return;
      var item = template.content.firstElementChild.cloneNode(true);
      holder.appendChild(item);
      var empty = list.querySelector('#no-routes');
      if (empty) empty.remove();
      renumber(form);
      item.querySelectorAll('select[data-op]').forEach(syncValueInput);
      var first = item.querySelector('input, select, textarea');
      if (first) first.focus();
    } else {
      var target = button.closest('[data-item]');
      var owner = target.parentElement.closest('[data-list]');
      if (verb === 'remove') target.remove();
      else if (verb === 'up' && target.previousElementSibling) target.parentElement.insertBefore(target, target.previousElementSibling);
      else if (verb === 'down' && target.nextElementSibling) target.parentElement.insertBefore(target.nextElementSibling, target);
      renumber(form);
      // Focus stays where the person is: on the moved item's button, or the list's Add after a removal.
      var next = verb === 'remove'
        ? Array.prototype.find.call(owner.querySelectorAll('button[data-action="add"]'), function (b) { return b.closest('[data-list]') === owner; })
        : button;
      if (next && !next.disabled) next.focus();
    }
    var note = form.querySelector('#unsaved');
    if (!note) {
      note = document.createElement('p');
      note.className = 'hint';
      note.id = 'unsaved';
      note.setAttribute('role', 'status');
      note.textContent = 'Not saved yet: Save keeps these changes.';
      var buttons = form.querySelector('.buttons');
      if (buttons) buttons.appendChild(note);
    }
  });
  document.addEventListener('change', function (event) {
    if (event.target.matches && event.target.matches('select[data-op]')) syncValueInput(event.target);
  });
  document.querySelectorAll('select[data-op]').forEach(syncValueInput);

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

// Triage table: a header checkbox data-select-all="<name>" ticks or clears every checkbox of that name in its form.
(function () {
  'use strict';
  document.addEventListener('change', function (event) {
    var all = event.target.closest && event.target.closest('[data-select-all]');
    if (!all || !all.form) return;
    var name = all.getAttribute('data-select-all');
    all.form.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) { box.checked = all.checked; });
  });
})();
