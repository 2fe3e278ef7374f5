// Progressive enhancement for the shop; every page works without it.
//  - .countdown[data-expires] ticks every second (the server's text is the fallback);
//  - shortlist buttons (.shortlist-button) add and remove in place, without a reload.
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    var now = Date.now();
    document.querySelectorAll(".countdown[data-expires]").forEach(function (el) {
      var left = Math.floor((Date.parse(el.dataset.expires) - now) / 1000);
      if (isNaN(left)) { return; }
      if (left <= 0) {
        el.textContent = el.dataset.ended;
        el.classList.add("countdown--ended");
        return;
      }
      var clock = Math.floor(left / 3600) + ":" + pad(Math.floor(left / 60) % 60) + ":" + pad(left % 60);
      el.textContent = el.dataset.format.replace("{left}", clock);
    });
  }

  function announce(text) {
    var region = document.getElementById("shop-live");
    if (!region) {
      region = document.createElement("p");
      region.id = "shop-live";
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      document.body.appendChild(region);
    }
    region.textContent = text;
  }

  function onShortlistSubmit(event) {
    var form = event.target.closest(".shortlist-button");
    if (!form || !window.fetch) { return; }
    event.preventDefault();
    var button = event.submitter || form.querySelector("button[name=action]");
    var data = new FormData(form);
    data.set("action", button.value);
    // One change at a time: each request must carry the shortlist cookie the previous
    // answer set, or two quick taps would lose the first number.
    pending = pending.then(function () { return send(form, button, data); });
  }

  var pending = Promise.resolve();

  function send(form, button, data) {
    // form.action would be the button named "action": read the attribute.
    return fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (answer) {
      // A refusal is shown by the ordinary round trip, where everyone sees it.
      if (answer.refused) { throw new Error("refused"); }
      document.querySelectorAll(".shortlist-button").forEach(function (other) {
        var number = other.querySelector("input[name=number]");
        if (number && number.value === answer.number) {
          other.outerHTML = answer.button;
        }
      });
      var box = document.querySelector(".shortlist-box");
      if (box && answer.box) { box.outerHTML = answer.box; }
      announce(answer.message);
    }).catch(function () {
      var chosen = document.createElement("input");  // fall back to the ordinary round trip
      chosen.type = "hidden";
      chosen.name = "action";
      chosen.value = button.value;
      form.appendChild(chosen);
      HTMLFormElement.prototype.submit.call(form);
    });
  }

  document.addEventListener("submit", onShortlistSubmit);
  if (document.querySelector(".countdown[data-expires]")) {
    tick();
    window.setInterval(tick, 1000);
  }
})();
