// motcua field page: the home-assistance team photographs papers with a phone.
// Each photo is uploaded with its own Idempotency-Key, kept across retries, so a flaky
// network never duplicates or loses a photo; the quality check answers at once.
"use strict";

(function () {
  const m = window.motcua;
  const cfg = m.cfg;
  const DOSSIER_KEY = "motcua.field.dossier";
  const MAX_TRIES = 6;
  const $ = (id) => document.getElementById(id);

  let dossier = null;          // {id, label}
  let pollTimer = null;
  let replacing = null;        // photo being retaken
  let counter = 0;
  const photos = [];

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  // ---- dossier ------------------------------------------------------------------------
  function useDossier(d) {
    dossier = d;
    sessionStorage.setItem(DOSSIER_KEY, JSON.stringify(d));
    m.setStatus($("dossier-info"), "Đang chụp cho hồ sơ " + d.label + ".", "success");
    $("create-dossier").textContent = "Tạo hồ sơ khác";
    $("capture-card").hidden = false;
    $("progress-card").hidden = false;
    poll();
  }

  async function createDossier(ev) {
    ev.preventDefault();
    const ref = $("dossier-reference").value.trim();
    const body = { procedure_code: $("procedure").value };
    if (ref) body.external_ref = ref;
    m.setStatus($("dossier-info"), "Đang tạo hồ sơ…");
    try {
      const d = await m.api("/dossiers", { method: "POST", body: body });
      photos.length = 0;
      $("photos").replaceChildren();
      useDossier({ id: d.id, label: ref || d.id.slice(0, 8) });
      $("camera").focus();
    } catch (e) {
      if (e.status !== 401) m.setStatus($("dossier-info"), "Không tạo được hồ sơ: " + e.message, "error");
    }
  }

  // ---- photos -------------------------------------------------------------------------
  function setPhoto(p, status, kind, actions) {
    p.statusNode.textContent = status;
    p.statusNode.className = "photo-status" + (kind ? " " + kind : "");
    p.actionsNode.replaceChildren(...(actions || []));
    p.li.dataset.state = p.state;
  }

  function retakeButton(p, secondary) {
    return m.el("button", {
      type: "button", class: secondary ? null : "primary",
      "aria-label": "Chụp lại ảnh " + p.n,
      onclick: function () { replacing = p; $("camera").click(); },
    }, "Chụp lại");
  }

  function retryButton(p) {
    return m.el("button", { type: "button", onclick: () => upload(p) }, "Thử lại");
  }

  function addPhoto(file) {
    counter += 1;
    const p = { n: counter, file: file, key: uuid(), state: "queued", tries: 0 };
    const thumb = m.el("img", { src: URL.createObjectURL(file), alt: "Ảnh " + p.n });
    p.statusNode = m.el("div", { class: "photo-status" });
    p.messagesNode = m.el("ul", { class: "hint" });
    p.actionsNode = m.el("div", { class: "photo-actions" });
    p.li = m.el("li", { class: "photo", "data-key": p.key }, [
      thumb,
      m.el("div", null, [m.el("div", { text: "Ảnh " + p.n }), p.statusNode, p.messagesNode, p.actionsNode]),
    ]);
    $("photos").appendChild(p.li);
    photos.push(p);
    if (replacing) {
      const old = replacing;
      replacing = null;
      old.state = "replaced";
      setPhoto(old, "Đã thay bằng ảnh " + p.n, null, []);
    }
    return p;
  }

  async function upload(p) {
    p.state = "uploading";
    setPhoto(p, "Đang tải lên…", null, []);
    const form = new FormData();
    const ext = (p.file.type && p.file.type.split("/")[1]) || "jpg";
    form.append("files", p.file, "anh-" + p.n + "." + ext.replace("jpeg", "jpg"));
    for (;;) {
      p.tries += 1;
      let resp = null;
      try {
        resp = await fetch(cfg.api + "/dossiers/" + encodeURIComponent(dossier.id) + "/documents", {
          method: "POST",
          headers: { "Authorization": "Bearer " + sessionStorage.getItem("motcua.token"), "Idempotency-Key": p.key, "Accept": "application/json" },
          body: form,
        });
      } catch (e) {
        resp = null; // network error: the request may or may not have arrived; the key makes retrying safe
      }
      if (resp && resp.ok) return uploaded(p, await resp.json());
      if (resp && resp.status === 401) { setPhoto(p, "Phiên đăng nhập đã hết hạn.", "error", [retryButton(p)]); return; }
      const transient = !resp || resp.status >= 500 || resp.status === 429 || resp.status === 408;
      if (!transient) {
        let msg = "Không tải lên được (" + resp.status + ")";
        try { const j = await resp.json(); if (j.message_vi) msg = j.message_vi; } catch (e) { /* keep default */ }
        p.state = "refused";
        setPhoto(p, msg, "error", [retakeButton(p)]);
        return;
      }
      if (p.tries >= MAX_TRIES) {
        p.state = "offline";
        p.tries = 0;
        setPhoto(p, "Mạng không ổn định, chưa tải lên được. Ảnh vẫn được giữ trên máy.", "error", [retryButton(p)]);
        return;
      }
      const wait = Math.min(16000, 500 * Math.pow(2, p.tries - 1));
      setPhoto(p, "Mất kết nối, đang thử lại (lần " + (p.tries + 1) + ")…", null, []);
      await sleep(wait);
    }
  }

  function uploaded(p, body) {
    const doc = body.documents && body.documents[0];
    p.documentId = doc ? doc.id : null;
    p.state = "uploaded";
    const q = (doc && doc.quality) || { ok: true, messages: [] };
    p.messagesNode.replaceChildren(...(q.messages || []).map((t) => m.el("li", { text: t })));
    if (doc && doc.duplicate) {
      setPhoto(p, "Ảnh này đã có trong hồ sơ.", null, []);
    } else if (q.ok === false) {
      p.state = "poor";
      setPhoto(p, "Đã tải lên, nhưng ảnh chưa đạt: hãy chụp lại.", "error", [retakeButton(p)]);
    } else {
      setPhoto(p, "Đã tải lên ✓ Ảnh đạt chất lượng.", "success", [retakeButton(p, true)]);
    }
    poll();
  }

  $("camera").addEventListener("change", function (ev) {
    const files = Array.from(ev.target.files || []);
    ev.target.value = "";
    if (!dossier || !files.length) { replacing = null; return; }
    for (const f of files) upload(addPhoto(f));
  });

  // ---- progress -----------------------------------------------------------------------
  async function poll() {
    if (!dossier) return;
    clearTimeout(pollTimer);
    let data;
    try {
      data = await m.api("/dossiers/" + encodeURIComponent(dossier.id) + "/progress");
    } catch (e) {
      pollTimer = setTimeout(poll, 5000);
      return;
    }
    const docs = data.documents;
    const done = docs.filter((d) => ["awaiting_review", "verified", "rejected", "failed"].indexOf(d.status) >= 0).length;
    const failed = docs.filter((d) => d.status === "failed").length;
    $("progress-bar").max = Math.max(1, docs.length);
    $("progress-bar").value = done;
    let text;
    if (!docs.length) text = "Chưa có ảnh nào.";
    else if (done < docs.length) text = "Đang xử lý: " + done + "/" + docs.length + " ảnh đã đọc xong.";
    else text = "Đã xử lý xong " + docs.length + " ảnh. Hồ sơ: " + data.status_label_vi + ".";
    if (failed) text += " " + failed + " ảnh không đọc được.";
    $("progress-text").textContent = text;
    $("progress-card").dataset.status = data.status;
    const pending = done < docs.length || photos.some((p) => p.state === "uploading");
    pollTimer = setTimeout(poll, pending ? 2000 : 15000);
  }

  // Back online: send again what the network refused (same keys, so no duplicates).
  window.addEventListener("online", function () {
    for (const p of photos) if (p.state === "offline") upload(p);
  });

  m.boot(function () {
    const sel = $("procedure");
    for (const p of cfg.procedures) sel.appendChild(m.el("option", { value: p.code }, p.label));
    $("dossier-form").addEventListener("submit", createDossier);
    const saved = sessionStorage.getItem(DOSSIER_KEY);
    if (saved) {
      try { useDossier(JSON.parse(saved)); } catch (e) { sessionStorage.removeItem(DOSSIER_KEY); }
    }
  });
})();
