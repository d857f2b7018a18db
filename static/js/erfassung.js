// The clerk's recording page (protokoll/erfassung.html): every changed form is sent at once with fetch().
// Without this script the forms work as they are (POST, then back to the section).
//
// Safe against a lost connection: each form's latest state is kept in localStorage until the server has
// answered; it is sent again when the connection returns or the page is opened again. Every form carries the
// whole state of its row or TOP, so the server records a resend as the same thing, never twice.
(function () {
  "use strict";

  var SPEICHER = "ratsinfo-erfassung:" + location.pathname;

  function ausstehend() {
    try {
      return JSON.parse(localStorage.getItem(SPEICHER) || "{}");
    } catch (e) {
      return {};
    }
  }

  function merken(liste) {
    try {
      localStorage.setItem(SPEICHER, JSON.stringify(liste));
    } catch (e) {
      // Storage full or forbidden: the change is still sent now, only not kept for a resend.
    }
  }

  // The page's own words, translated in the template.
  function text(name) {
    var texte = document.getElementById("erfassung-texte");
    return (texte && texte.dataset[name]) || "";
  }

  function token() {
    var feld = document.querySelector("input[name=csrfmiddlewaretoken]");
    return feld ? feld.value : "";
  }

  function anzeigen(formId, text, fehler) {
    var form = document.getElementById(formId);
    var stelle = form && form.querySelector(".speicherstand");
    if (!stelle) {
      return;
    }
    stelle.textContent = text;
    stelle.classList.toggle("fehler", Boolean(fehler));
    stelle.classList.toggle("gespeichert", !fehler);
  }

  function standZeigen(stand) {
    if (!stand) {
      return;
    }
    var eintraege = [["sitzung", stand.sitzung]];
    Object.keys(stand.tops).forEach(function (top) {
      eintraege.push([top, stand.tops[top]]);
    });
    eintraege.forEach(function (paar) {
      var stelle = document.querySelector('[data-stand="' + paar[0] + '"]');
      if (stelle && stelle.textContent !== paar[1].text) {
        stelle.textContent = paar[1].text;
        stelle.classList.toggle("bf-ja", paar[1].beschlussfaehig);
        stelle.classList.toggle("bf-nein", !paar[1].beschlussfaehig);
      }
    });
  }

  function antwortZeigen(formId, daten) {
    standZeigen(daten.stand);
    var form = document.getElementById(formId);
    if (daten.abstimmung && form) {
      Object.keys(daten.abstimmung).forEach(function (name) {
        var feld = form.querySelector('[data-zahl="' + name + '"]');
        if (feld) {
          feld.value = daten.abstimmung[name];
        }
      });
    }
    if (typeof daten.beschluss === "string" && form) {
      var text = form.querySelector("textarea[name=beschluss]");
      if (text && document.activeElement !== text) {
        text.value = daten.beschluss;
      }
    }
  }

  function senden(formId, felder) {
    var liste = ausstehend();
    liste[formId] = felder;
    merken(liste);
    var daten = new URLSearchParams();
    felder.forEach(function (paar) {
      if (paar[0] !== "csrfmiddlewaretoken") {
        daten.append(paar[0], paar[1]);
      }
    });
    anzeigen(formId, text("speichert"), false);
    return fetch(location.pathname, {
      method: "POST",
      body: daten,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token() },
    })
      .then(function (antwort) {
        return antwort.json().then(function (inhalt) {
          return { status: antwort.status, inhalt: inhalt };
        });
      })
      .then(function (ergebnis) {
        var jetzt = ausstehend();
        // Only forget what was sent: a newer change of the same form made meanwhile stays queued.
        if (JSON.stringify(jetzt[formId]) === JSON.stringify(felder)) {
          delete jetzt[formId];
          merken(jetzt);
        }
        if (ergebnis.inhalt.ok) {
          anzeigen(formId, ergebnis.inhalt.meldung, false);
          antwortZeigen(formId, ergebnis.inhalt);
        } else {
          anzeigen(formId, (ergebnis.inhalt.fehler || [text("fehler")]).join(" "), true);
        }
      })
      .catch(function () {
        anzeigen(formId, text("offline"), true);
      });
  }

  function formularSenden(form) {
    var felder = [];
    new FormData(form).forEach(function (wert, name) {
      felder.push([name, wert]);
    });
    senden(form.id, felder);
  }

  function nachholen() {
    var liste = ausstehend();
    Object.keys(liste).forEach(function (formId) {
      senden(formId, liste[formId]);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var formulare = document.querySelectorAll("form.erfassung-formular:not([data-nur-mit-knopf])");
    Array.prototype.forEach.call(formulare, function (form) {
      form.addEventListener("submit", function (ereignis) {
        ereignis.preventDefault();
        formularSenden(form);
      });
    });
    // A change anywhere on the page belongs to the form its field names (the attendance table's cells point to
    // their row's form with the form attribute).
    document.addEventListener("change", function (ereignis) {
      var form = ereignis.target.form;
      if (form && form.classList.contains("erfassung-formular") && !form.hasAttribute("data-nur-mit-knopf")) {
        formularSenden(form);
      }
    });
    window.addEventListener("online", nachholen);
    window.setInterval(function () {
      if (Object.keys(ausstehend()).length && navigator.onLine !== false) {
        nachholen();
      }
    }, 15000);
    nachholen();
  });
})();
