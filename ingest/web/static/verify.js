// motcua desk: verification of one dossier. Page images with zoom and pan, each field's
// box drawn on the image (highlighted while its input has focus), keyboard-first:
// Tab between fields, Enter confirms (or saves a correction) and moves on,
// Ctrl+Enter or Alt+A approves the dossier.
"use strict";

(function () {
  const m = window.motcua;
  const cfg = m.cfg;
  const L = cfg.labels;
  const dossierId = cfg.dossier_id;
  const SVG = "http://www.w3.org/2000/svg";

  const $ = (id) => document.getElementById(id);
  const viewer = $("viewer");
  const stage = $("stage");
  const img = $("page-image");
  const overlay = $("overlay");
  const pageSelect = $("page-select");
  const fieldStatus = $("field-status");
  const decisionStatus = $("decision-status");
  const leaseStatus = $("lease-status");

  let view = null;
  let editable = false;
  const fieldsById = new Map();
  const inputs = [];           // in tab order
  const imageCache = new Map(); // "doc/page" -> object URL
  let current = null;          // {doc, page}
  let activeFieldId = null;
  const tf = { s: 1, x: 0, y: 0 };

  // ---- labels -------------------------------------------------------------------------
  function fieldLabel(key) {
    if (key.endsWith("_2025")) {
      const base = key.slice(0, -5);
      return (L.fields[base] || base) + (cfg.field_labels_2025_suffix || " (2025)");
    }
    return L.fields[key] || key;
  }
  const docTypeLabel = (t) => L.document_types[t] || t || "Giấy tờ";
  const sourceLabel = (s) => L.sources[s] || s;
  const stateLabel = (s) => L.states[s] || s;
  const actionLabel = (a) => L.actions[a] || a;
  const pct = (c) => (Math.round(c * 100)) + "%";

  // ---- viewer: zoom and pan -----------------------------------------------------------
  function applyTransform() {
    stage.style.transform = "translate(" + tf.x + "px," + tf.y + "px) scale(" + tf.s + ")";
    $("zoom-level").textContent = Math.round(tf.s * 100) + "%";
  }

  function fit() {
    if (!current) return;
    const w = current.page.width, h = current.page.height;
    const vw = viewer.clientWidth, vh = viewer.clientHeight;
    tf.s = Math.min(vw / w, vh / h) * 0.98;
    tf.x = (vw - w * tf.s) / 2;
    tf.y = (vh - h * tf.s) / 2;
    applyTransform();
  }

  function zoomAt(factor, cx, cy) {
    const s = Math.min(8, Math.max(0.05, tf.s * factor));
    tf.x = cx - (cx - tf.x) * (s / tf.s);
    tf.y = cy - (cy - tf.y) * (s / tf.s);
    tf.s = s;
    applyTransform();
  }

  viewer.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    const r = viewer.getBoundingClientRect();
    zoomAt(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX - r.left, ev.clientY - r.top);
  }, { passive: false });

  let drag = null;
  viewer.addEventListener("pointerdown", function (ev) {
    drag = { x: ev.clientX, y: ev.clientY, tx: tf.x, ty: tf.y };
    viewer.setPointerCapture(ev.pointerId);
    viewer.classList.add("dragging");
  });
  viewer.addEventListener("pointermove", function (ev) {
    if (!drag) return;
    tf.x = drag.tx + ev.clientX - drag.x;
    tf.y = drag.ty + ev.clientY - drag.y;
    applyTransform();
  });
  function endDrag() { drag = null; viewer.classList.remove("dragging"); }
  viewer.addEventListener("pointerup", endDrag);
  viewer.addEventListener("pointercancel", endDrag);

  $("zoom-in").addEventListener("click", () => zoomAt(1.25, viewer.clientWidth / 2, viewer.clientHeight / 2));
  $("zoom-out").addEventListener("click", () => zoomAt(0.8, viewer.clientWidth / 2, viewer.clientHeight / 2));
  $("zoom-fit").addEventListener("click", fit);
  window.addEventListener("resize", fit);

  // ---- pages and boxes ----------------------------------------------------------------
  async function showPage(doc, page) {
    if (current && current.doc.id === doc.id && current.page.number === page.number) return;
    current = { doc: doc, page: page };
    pageSelect.value = doc.id + "/" + page.number;
    const key = doc.id + "/" + page.number;
    img.style.width = page.width + "px";
    img.style.height = page.height + "px";
    img.alt = "Ảnh trang " + page.number + " của " + (doc.filename || "tài liệu");
    overlay.setAttribute("viewBox", "0 0 " + page.width + " " + page.height);
    overlay.setAttribute("width", page.width);
    overlay.setAttribute("height", page.height);
    drawBoxes();
    fit();
    try {
      if (!imageCache.has(key)) imageCache.set(key, await m.imageUrl(page.image_url.slice(cfg.api.length)));
      if (current.doc.id === doc.id && current.page.number === page.number) img.src = imageCache.get(key);
    } catch (e) {
      if (e.status !== 401) m.setStatus(fieldStatus, "Không tải được ảnh trang: " + e.message, "error");
    }
  }

  function drawBoxes() {
    overlay.replaceChildren();
    if (!current) return;
    for (const f of fieldsById.values()) {
      if (f.document_id !== current.doc.id || f.page !== current.page.number || !f.bbox) continue;
      const [x0, y0, x1, y1] = f.bbox;
      const r = document.createElementNS(SVG, "rect");
      r.setAttribute("x", x0);
      r.setAttribute("y", y0);
      r.setAttribute("width", Math.max(1, x1 - x0));
      r.setAttribute("height", Math.max(1, y1 - y0));
      let cls = "box";
      if (f.flags.length) cls += " flagged";
      if (f.id === activeFieldId) cls += " active";
      r.setAttribute("class", cls);
      r.dataset.fieldId = f.id;
      const title = document.createElementNS(SVG, "title");
      title.textContent = fieldLabel(f.key);
      r.appendChild(title);
      overlay.appendChild(r);
    }
  }

  function revealBox(f) {
    if (!f.bbox || !current) return;
    const [x0, y0, x1, y1] = f.bbox;
    const vw = viewer.clientWidth, vh = viewer.clientHeight;
    const sx0 = x0 * tf.s + tf.x, sy0 = y0 * tf.s + tf.y;
    const sx1 = x1 * tf.s + tf.x, sy1 = y1 * tf.s + tf.y;
    if (sx0 >= 0 && sy0 >= 0 && sx1 <= vw && sy1 <= vh) return;
    tf.x = vw / 2 - ((x0 + x1) / 2) * tf.s;
    tf.y = vh / 2 - ((y0 + y1) / 2) * tf.s;
    applyTransform();
  }

  // Keep the focused input in view inside the fields panel (the window itself stays put).
  function keepInView(input) {
    const panel = document.querySelector(".fields-panel");
    const r = input.getBoundingClientRect();
    const pr = panel.getBoundingClientRect();
    if (r.top < pr.top + 8 || r.bottom > pr.bottom - 8) {
      panel.scrollTop += r.top - pr.top - pr.height / 3;
    }
  }

  async function focusField(f) {
    activeFieldId = f.id;
    for (const inp of inputs) {
      const on = inp.dataset.fieldId === f.id;
      inp.classList.toggle("focused-field", on);
      if (on) keepInView(inp);
    }
    const doc = view.documents.find((d) => d.id === f.document_id);
    const page = doc && doc.pages.find((p) => p.number === (f.page || 1));
    if (doc && page) await showPage(doc, page);
    drawBoxes();
    revealBox(f);
  }

  pageSelect.addEventListener("change", function () {
    const [docId, n] = pageSelect.value.split("/");
    const doc = view.documents.find((d) => d.id === docId);
    showPage(doc, doc.pages.find((p) => String(p.number) === n));
  });

  // ---- fields -------------------------------------------------------------------------
  function badges(f) {
    const out = [];
    if (f.flags.indexOf("conflict") >= 0) out.push(m.el("span", { class: "badge conflict", text: "Xung đột" }));
    if (f.flags.indexOf("low_confidence") >= 0) out.push(m.el("span", { class: "badge low", text: "Độ tin cậy thấp" }));
    if (f.state === "confirmed") out.push(m.el("span", { class: "badge done", text: "Đã xác nhận" }));
    if (f.state === "corrected") out.push(m.el("span", { class: "badge corrected", text: "Đã sửa" }));
    return out;
  }

  function conflictText(f) {
    const c = f.conflict;
    if (!c || !c.values) return "";
    const vals = Array.isArray(c.values)
      ? c.values.map((v) => sourceLabel(v.source) + " (" + docTypeLabel(v.document_type) + "): " + v.value)
      : Object.entries(c.values).map(([k, v]) => sourceLabel(k) + ": " + v);
    return " · Các giá trị khác nhau: " + vals.join("; ");
  }

  function metaText(f) {
    let t = "Nguồn: " + sourceLabel(f.source) + " · độ tin cậy " + pct(f.confidence) + " · " + stateLabel(f.state);
    if (f.state === "corrected" && f.extracted_value) t += " · máy đọc: " + f.extracted_value;
    if (f.raw) t += " · bản đọc thô: " + f.raw;
    return t + conflictText(f);
  }

  function refreshRow(f) {
    const row = document.querySelector('.field-row[data-field-id="' + f.id + '"]');
    if (!row) return;
    row.className = "field-row state-" + f.state + (f.flags.length ? " flagged" : "");
    const label = row.querySelector("label");
    label.replaceChildren(fieldLabel(f.key), ...badges(f));
    row.querySelector(".meta").textContent = metaText(f);
    const input = row.querySelector("input");
    if (document.activeElement !== input) input.value = f.value;
  }

  function renderFields() {
    const groups = $("field-groups");
    groups.replaceChildren();
    fieldsById.clear();
    inputs.length = 0;
    view.documents.forEach(function (doc, di) {
      for (const part of (doc.parts.length ? doc.parts : [{ index: 0, document_type: null, fields: [], pages: [] }])) {
        const titleId = "doc-" + doc.id + "-" + part.index;
        const section = m.el("section", { class: "doc-group", "aria-labelledby": titleId });
        section.appendChild(m.el("h3", { id: titleId }, [
          "Giấy tờ " + (di + 1) + ": " + docTypeLabel(part.document_type),
          m.el("span", { class: "hint", text: " · " + (doc.filename || "") + (part.pages.length ? " · trang " + part.pages.join(", ") : "") }),
        ]));
        if (doc.status === "failed") {
          section.appendChild(m.el("p", { class: "error", text: "Không đọc được tài liệu: " + (doc.failure_reason || "") }));
        }
        if (part.quality && part.quality.messages && part.quality.messages.length) {
          section.appendChild(m.el("p", { class: "hint", text: "Chất lượng ảnh: " + part.quality.messages.join("; ") }));
        }
        for (const c of part.unplaced_conflicts || []) {
          section.appendChild(m.el("p", { class: "hint" }, [
            m.el("span", { class: "badge conflict", text: "Xung đột" }), " " + fieldLabel(c.field) + ": ",
            Object.entries(c.values || {}).map(([k, v]) => k + ": " + v).join("; "),
          ]));
        }
        if (!part.fields.length) section.appendChild(m.el("p", { class: "hint", text: "Không có trường nào được đọc." }));
        for (const f of part.fields) {
          fieldsById.set(f.id, f);
          const inputId = "f-" + f.id;
          const metaId = "m-" + f.id;
          const input = m.el("input", {
            id: inputId, type: "text", value: f.value, autocomplete: "off", spellcheck: "false",
            "aria-describedby": metaId + " shortcuts", "data-field-id": f.id,
            readonly: !editable,
          });
          input.value = f.value;
          const confirm = m.el("button", {
            type: "button", tabindex: "-1", disabled: !editable,
            "aria-label": "Xác nhận " + fieldLabel(f.key),
            onclick: () => commit(f.id, input, true),
          }, "Xác nhận");
          const row = m.el("div", { class: "field-row", "data-field-id": f.id }, [
            m.el("label", { for: inputId }),
            input,
            confirm,
            m.el("div", { class: "meta", id: metaId }),
          ]);
          section.appendChild(row);
          inputs.push(input);
          input.addEventListener("focus", () => focusField(f));
          input.addEventListener("keydown", function (ev) {
            if (ev.key === "Enter" && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
              ev.preventDefault();
              commit(f.id, input, true);
            } else if (ev.key === "Escape") {
              input.value = fieldsById.get(f.id).value;
            }
          });
        }
        groups.appendChild(section);
        for (const f of part.fields) refreshRow(f);
      }
    });
  }

  async function commit(fieldId, input, advance) {
    if (!editable) return;
    const f = fieldsById.get(fieldId);
    const value = input.value;
    const changed = value.trim() !== f.value;
    if (changed && !value.trim()) {
      m.setStatus(fieldStatus, "Không được để trống. Nhấn Esc để khôi phục giá trị.", "error");
      return;
    }
    try {
      const out = await m.api("/review/dossiers/" + dossierId + "/fields/" + fieldId, {
        method: "PATCH",
        body: changed ? { action: "correct", value: value } : { action: "confirm" },
      });
      const updated = Object.assign({}, f, out.field, { flags: out.field.state === "extracted" ? f.flags : f.flags.filter((x) => x !== "low_confidence"), conflict: f.conflict });
      fieldsById.set(fieldId, updated);
      input.value = updated.value;
      refreshRow(updated);
      prependHistory(out.event);
      if (out.applicant) renderApplicant(out.applicant);
      m.setStatus(fieldStatus, (changed ? "Đã lưu sửa đổi: " : "Đã xác nhận: ") + fieldLabel(f.key), "success");
      renewed(out.lease_expires_at);
      drawBoxes();
      if (advance) {
        const i = inputs.indexOf(input);
        if (i >= 0 && i + 1 < inputs.length) inputs[i + 1].focus();
        else $("approve").focus();
      }
    } catch (e) {
      if (e.status === 409) lost(e.message);
      else if (e.status !== 401) m.setStatus(fieldStatus, "Không lưu được: " + e.message, "error");
    }
  }

  // ---- applicant record ---------------------------------------------------------------
  function renderApplicant(rec) {
    const dl = $("applicant");
    dl.replaceChildren();
    const conflicts = new Map(rec.conflicts.map((c) => [c.field, c]));
    const keys = Object.keys(rec.values);
    if (!keys.length) dl.appendChild(m.el("dd", { class: "hint", text: "Chưa có giấy tờ tùy thân nào được đọc." }));
    for (const key of keys) {
      const v = rec.values[key];
      const c = conflicts.get(key);
      dl.appendChild(m.el("dt", { text: fieldLabel(key) }));
      dl.appendChild(m.el("dd", null, [
        v.value,
        m.el("span", { class: "hint", text: " (" + sourceLabel(v.state === "extracted" ? v.source : "clerk") + ")" }),
        c ? m.el("span", { class: "badge conflict", text: "Xung đột giữa các giấy tờ" }) : null,
        c ? m.el("div", { class: "hint", text: c.values.map((x) => docTypeLabel(x.document_type) + ": " + x.value).join(" · ") }) : null,
      ]));
    }
    const said = new Set();
    for (const card of rec.cards || []) {
      let text;
      if (card.front && card.back) {
        text = "Đã ghép mặt trước và mặt sau thẻ" + (card.paired_by === "id_number" ? " (cùng số định danh)" : " (thẻ duy nhất trong hồ sơ)");
      } else {
        text = card.front ? "Thiếu ảnh mặt sau của thẻ" : "Thiếu ảnh mặt trước của thẻ";
      }
      if (said.has(text)) continue;  // two photos of the same side say it once
      said.add(text);
      dl.appendChild(m.el("dt", { text: "Thẻ" }));
      dl.appendChild(m.el("dd", { text: text }));
    }
  }

  // ---- history ------------------------------------------------------------------------
  function historyItem(ev) {
    let what = actionLabel(ev.action);
    if (ev.field_key) what += " «" + fieldLabel(ev.field_key) + "»";
    const parts = [m.formatTime(ev.at) + " · " + (ev.actor_name || "hệ thống") + " · " + what];
    if (ev.action === "field.correct") parts.push(": «" + (ev.old_value || "") + "» → «" + (ev.new_value || "") + "»");
    if (ev.action === "dossier.reject" && ev.detail && ev.detail.reason) parts.push(": " + ev.detail.reason);
    if (ev.action === "dossier.status") parts.push(": " + ev.old_value + " → " + ev.new_value);
    return m.el("li", { "data-action": ev.action }, parts.join(""));
  }

  function renderHistory(items) {
    const ol = $("history");
    ol.replaceChildren();
    for (const ev of items.slice().reverse()) ol.appendChild(historyItem(ev));
  }

  function prependHistory(ev) {
    const ol = $("history");
    ol.insertBefore(historyItem(ev), ol.firstChild);
  }

  // ---- claim, decisions ---------------------------------------------------------------
  function renewed(iso) {
    if (iso) leaseStatus.textContent = "Bạn đang giữ hồ sơ này đến " + new Date(iso).toLocaleTimeString("vi-VN", { hour12: false }) + " (tự gia hạn khi trang còn mở).";
  }

  function lost(message) {
    setEditable(false);
    m.setStatus(decisionStatus, "Không còn giữ hồ sơ: " + message, "error");
  }

  function setEditable(on) {
    editable = on;
    for (const inp of inputs) inp.readOnly = !on;
    document.querySelectorAll(".field-row button").forEach((b) => { b.disabled = !on; });
    $("approve").disabled = !on;
    $("reject").disabled = !on;
    $("reject-reason").disabled = !on;
    $("release").disabled = !on;
  }

  async function heartbeat() {
    if (!editable) return;
    try {
      const c = await m.api("/review/dossiers/" + dossierId + "/claim", { method: "POST" });
      renewed(c.lease_expires_at);
    } catch (e) {
      if (e.status === 409) lost(e.message);
    }
  }

  async function approve() {
    if (!editable) return;
    m.setStatus(decisionStatus, "Đang duyệt…");
    try {
      await m.api("/review/dossiers/" + dossierId + "/approve", { method: "POST" });
      m.setStatus(decisionStatus, "Đã duyệt hồ sơ. Cổng dịch vụ công sẽ được thông báo.", "success");
      await reload(false);
      $("decision-status").focus();
    } catch (e) {
      if (e.status === 409 && e.message.indexOf("conflicting") >= 0) {
        m.setStatus(decisionStatus, "Còn trường có xung đột chưa được xác nhận. Hãy kiểm tra các trường được đánh dấu «Xung đột».", "error");
        const first = inputs.find((i) => { const f = fieldsById.get(i.dataset.fieldId); return f.flags.indexOf("conflict") >= 0 && f.state === "extracted"; });
        if (first) first.focus();
      } else if (e.status !== 401) {
        m.setStatus(decisionStatus, "Không duyệt được: " + e.message, "error");
      }
    }
  }

  async function reject() {
    if (!editable) return;
    const reason = $("reject-reason").value.trim();
    if (!reason) {
      m.setStatus(decisionStatus, "Hãy nhập lý do từ chối.", "error");
      $("reject-reason").focus();
      return;
    }
    try {
      await m.api("/review/dossiers/" + dossierId + "/reject", { method: "POST", body: { reason: reason } });
      m.setStatus(decisionStatus, "Đã từ chối hồ sơ.", "success");
      await reload(false);
    } catch (e) {
      if (e.status !== 401) m.setStatus(decisionStatus, "Không từ chối được: " + e.message, "error");
    }
  }

  async function release() {
    if (!editable) return;
    try {
      await m.api("/review/dossiers/" + dossierId + "/release", { method: "POST" });
      window.location.href = "/desk";
    } catch (e) {
      if (e.status !== 401) m.setStatus(decisionStatus, "Không trả được hồ sơ: " + e.message, "error");
    }
  }

  document.addEventListener("keydown", function (ev) {
    const approveKey = (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) || (ev.altKey && (ev.key === "a" || ev.key === "A"));
    if (approveKey) {
      ev.preventDefault();
      approve();
    }
  });
  $("approve").addEventListener("click", approve);
  $("reject").addEventListener("click", reject);
  $("release").addEventListener("click", release);

  // ---- loading ------------------------------------------------------------------------
  function renderHeader() {
    const d = view.dossier;
    $("dossier-ref").textContent = d.external_ref || d.id.slice(0, 8);
    const bits = ["Thủ tục: " + m.procedureLabel(d.procedure_code), "Trạng thái: " + (d.status_label_vi || d.status)];
    if (d.due_at) bits.push("Hạn xử lý: " + m.formatTime(d.due_at));
    if (d.status_reason) bits.push("Lý do: " + d.status_reason);
    $("dossier-meta").textContent = bits.join(" · ");
    pageSelect.replaceChildren();
    view.documents.forEach(function (doc, di) {
      const type = doc.parts.length ? docTypeLabel(doc.parts[0].document_type) : "Tài liệu";
      for (const p of doc.pages) {
        pageSelect.appendChild(m.el("option", { value: doc.id + "/" + p.number }, "Giấy tờ " + (di + 1) + " (" + type + ") – trang " + p.number));
      }
    });
  }

  async function reload(focusFirst) {
    view = await m.api("/review/dossiers/" + dossierId);
    const statusLabels = { awaiting_review: "Chờ kiểm tra", verified: "Đã xác minh", rejected: "Bị từ chối" };
    view.dossier.status_label_vi = statusLabels[view.dossier.status] || view.dossier.status;
    editable = view.dossier.status === "awaiting_review" && view.review.claimed_by_me;
    renderHeader();
    renderApplicant(view.applicant);
    renderFields();
    renderHistory(view.history || []);
    setEditable(editable);
    if (!editable) {
      leaseStatus.textContent = view.dossier.status !== "awaiting_review"
        ? "Hồ sơ đã được xử lý; chỉ xem."
        : (view.review.claimed_by_name ? "Hồ sơ đang được " + view.review.claimed_by_name + " kiểm tra; chỉ xem." : "Bạn chưa nhận hồ sơ này; chỉ xem.");
    }
    const firstDoc = view.documents.find((d) => d.pages.length);
    current = null;
    if (focusFirst && inputs.length && editable) {
      inputs[0].focus({ preventScroll: true });
    } else if (firstDoc) {
      await showPage(firstDoc, firstDoc.pages[0]);
    }
  }

  m.boot(async function () {
    try {
      const c = await m.api("/review/dossiers/" + dossierId + "/claim", { method: "POST" });
      renewed(c.lease_expires_at);
    } catch (e) {
      if (e.status === 401) return;
      if (e.status !== 409) m.setStatus(decisionStatus, "Không nhận được hồ sơ: " + e.message, "error");
    }
    try {
      await reload(true);
    } catch (e) {
      if (e.status !== 401) m.setStatus(decisionStatus, "Không tải được hồ sơ: " + e.message, "error");
      return;
    }
    setInterval(heartbeat, 60000);
  });
})();
