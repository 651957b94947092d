// motcua desk: the review queue of the clerk's office.
"use strict";

(function () {
  const m = window.motcua;
  const body = document.getElementById("queue-body");
  const empty = document.getElementById("queue-empty");
  const status = document.getElementById("queue-status");

  function shortId(id) { return id.slice(0, 8); }

  function open(dossierId) { window.location.href = "/desk/dossiers/" + encodeURIComponent(dossierId); }

  async function claim(dossierId) {
    m.setStatus(status, "Đang nhận hồ sơ…");
    try {
      const got = dossierId
        ? await m.api("/review/dossiers/" + encodeURIComponent(dossierId) + "/claim", { method: "POST" })
        : await m.api("/review/claim", { method: "POST" });
      open(got.dossier_id);
    } catch (e) {
      if (e.status === 404 && !dossierId) m.setStatus(status, "Không còn hồ sơ chờ duyệt.", "success");
      else if (e.status === 409) m.setStatus(status, "Hồ sơ đang được cán bộ khác kiểm tra.", "error");
      else if (e.status !== 401) m.setStatus(status, "Không nhận được hồ sơ: " + e.message, "error");
      load(false);
    }
  }

  function render(items) {
    body.replaceChildren();
    empty.hidden = items.length > 0;
    const now = Date.now();
    for (const it of items) {
      const due = it.due_at ? new Date(it.due_at) : null;
      const overdue = due && due.getTime() < now;
      let state;
      let button;
      if (it.claimed_by_me) {
        state = "Bạn đang kiểm tra";
        button = m.el("button", { type: "button", class: "primary", onclick: () => open(it.dossier_id) }, "Tiếp tục");
      } else if (it.claimed) {
        state = "Đang được " + (it.claimed_by_name || "cán bộ khác") + " kiểm tra";
        button = m.el("button", { type: "button", disabled: true }, "Đang bận");
      } else {
        state = "Chờ nhận";
        button = m.el("button", { type: "button", onclick: () => claim(it.dossier_id) }, "Nhận hồ sơ");
      }
      const label = it.external_ref || shortId(it.dossier_id);
      button.setAttribute("aria-label", button.textContent + " " + label);
      body.appendChild(m.el("tr", null, [
        m.el("td", null, [label, m.el("div", { class: "hint", text: m.procedureLabel(it.procedure_code) })]),
        m.el("td", null, [
          due ? m.formatTime(it.due_at) : "Không có hạn",
          overdue ? m.el("span", { class: "badge conflict", text: "Quá hạn" }) : null,
        ]),
        m.el("td", { text: String(it.documents) }),
        m.el("td", { text: state }),
        m.el("td", null, button),
      ]));
    }
  }

  async function load(report) {
    try {
      const data = await m.api("/review/queue");
      render(data.items);
      if (report !== false) {
        m.setStatus(status, data.items.length + " hồ sơ đang chờ · cập nhật lúc " + new Date().toLocaleTimeString("vi-VN", { hour12: false }));
      }
    } catch (e) {
      if (e.status !== 401) m.setStatus(status, "Không tải được hàng chờ: " + e.message, "error");
    }
  }

  m.boot(function () {
    document.getElementById("claim-next").addEventListener("click", () => claim(null));
    document.getElementById("refresh").addEventListener("click", () => { m.setStatus(status, ""); load(); });
    load();
    setInterval(() => load(false), 20000);
  });
})();
