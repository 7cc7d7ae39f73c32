// Ordering questions, progressive enhancement: drag an item by its handle or move it with its Up and Down buttons.
// The position menus stay the answer that is posted: every move writes each item's place into its menu.
(function () {
  "use strict";

  function items(list) { return Array.prototype.slice.call(list.children); }
  function menu(item) { return item.querySelector("select.ordering-select"); }
  function name(item) { return item.querySelector(".ordering-label").textContent.replace(/\s+/g, " ").trim(); }

  // Whether the values hold every position once.
  function whole(values) {
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    return sorted.every(function (value, index) { return value === String(index + 1); });
  }
  function complete(list) { return whole(items(list).map(function (item) { return menu(item).value; })); }

  function setup(list) {
    if (list.hasAttribute("data-enhanced") || !items(list).length || menu(items(list)[0]).disabled) { return; }
    var fieldset = list.closest("fieldset");
    if (fieldset && fieldset.disabled) { return; }
    var live = list.parentNode.querySelector("[data-ordering-live]");
    var hint = list.parentNode.querySelector("[data-ordering-hint]");
    list.setAttribute("data-enhanced", "");
    list.classList.add("ordering-js");
    if (hint) { hint.hidden = false; }

    function say(text) {
      if (!live) { return; }
      live.textContent = "";
      window.setTimeout(function () { live.textContent = text; }, 50);
    }

    // Write each item's place into its menu and tell the autosave that the answer changed.
    function write() {
      items(list).forEach(function (item, index) {
        menu(item).value = String(index + 1);
        menu(item).setAttribute("data-was", menu(item).value);
      });
      list.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function place(item) {
      var index = items(list).indexOf(item);
      return "\u201C" + name(item) + "\u201D is now at position " + (index + 1) + " of " + items(list).length + ".";
    }

    // Move an item one place by moving its neighbour across it: the item itself stays in the document, so it keeps
    // the keyboard focus and the pointer capture of a drag.
    function shift(item, step) {
      if (step < 0) { list.insertBefore(item.previousElementSibling, item.nextElementSibling); }
      else { list.insertBefore(item.nextElementSibling, item); }
    }

    function move(item, step) {
      var all = items(list), target = all.indexOf(item) + step;
      if (target < 0 || target >= all.length) {
        say("\u201C" + name(item) + "\u201D is already " + (step < 0 ? "first." : "last."));
        return;
      }
      shift(item, step);
      write();
      say(place(item));
    }

    function sortByMenus() {
      if (!complete(list)) { return; }
      var focus = document.activeElement;
      items(list).sort(function (a, b) { return menu(a).value - menu(b).value; })
        .forEach(function (item) { list.appendChild(item); });
      if (focus && list.contains(focus)) { focus.focus(); }
    }

    function button(text, label, step, item) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "button button-small ordering-move";
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = "Move ";
      var rest = document.createElement("span");
      rest.className = "visually-hidden";
      rest.textContent = ": " + label;
      b.appendChild(hidden);
      b.appendChild(document.createTextNode(text));
      b.appendChild(rest);
      b.addEventListener("click", function () { move(item, step); });
      return b;
    }

    items(list).forEach(function (item) {
      var grip = document.createElement("span");
      grip.className = "ordering-grip";
      grip.setAttribute("aria-hidden", "true");
      grip.title = "Drag to move";
      grip.textContent = "\u2630";
      item.insertBefore(grip, item.firstChild);
      var controls = item.querySelector(".ordering-controls");
      controls.appendChild(button("Up", name(item), -1, item));
      controls.appendChild(button("Down", name(item), 1, item));
      grip.addEventListener("pointerdown", function (event) { startDrag(event, item, grip); });
    });

    // A menu changed by hand: when the menus held every position once, the item that had the chosen position takes
    // this one's old position (a swap keeps the order whole), and the list is shown in the menus' order.
    list.addEventListener("change", function (event) {
      var changed = event.target;
      if (!changed.matches || !changed.matches("select.ordering-select")) { return; }
      var was = changed.getAttribute("data-was") || "";
      changed.setAttribute("data-was", changed.value);
      var before = items(list).map(function (item) { return menu(item) === changed ? was : menu(item).value; });
      if (whole(before)) {
        items(list).map(menu).forEach(function (other) {
          if (other !== changed && other.value === changed.value) {
            other.value = was;
            other.setAttribute("data-was", was);
          }
        });
      }
      if (complete(list)) {
        sortByMenus();
        say(place(changed.closest("li")));
      }
    });

    // Enter in a position menu does what Enter does in every other field: the form's default (primary) action.
    list.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
      var form = list.closest("form"), primary = form && form.querySelector("button[type=submit]");
      if (!primary || !event.target.matches("select.ordering-select")) { return; }
      event.preventDefault();
      form.requestSubmit(primary);
    });

    function startDrag(event, item, grip) {
      if (event.button !== undefined && event.button !== 0) { return; }
      event.preventDefault();
      var moved = false;
      item.classList.add("ordering-dragging");
      grip.setPointerCapture(event.pointerId);
      function over(moveEvent) {
        // The dragged item's place: after every other item whose middle is above the pointer.
        var target = items(list).filter(function (other) {
          var box = other.getBoundingClientRect();
          return other !== item && moveEvent.clientY > box.top + box.height / 2;
        }).length;
        while (items(list).indexOf(item) !== target) {
          shift(item, target < items(list).indexOf(item) ? -1 : 1);
          moved = true;
        }
      }
      function end() {
        grip.removeEventListener("pointermove", over);
        grip.removeEventListener("pointerup", end);
        grip.removeEventListener("pointercancel", end);
        item.classList.remove("ordering-dragging");
        if (moved) { write(); say(place(item)); }
      }
      grip.addEventListener("pointermove", over);
      grip.addEventListener("pointerup", end);
      grip.addEventListener("pointercancel", end);
    }

    sortByMenus();
    items(list).forEach(function (item) { menu(item).setAttribute("data-was", menu(item).value); });
  }

  Array.prototype.forEach.call(document.querySelectorAll("ol[data-ordering]"), setup);
})();
