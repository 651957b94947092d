// motcua: shared helpers for the desk and field pages (plain JS, no build step).
// The bearer token lives in sessionStorage (gone when the tab closes) and is sent as an
// Authorization header by fetch; no cookie is used, so there is nothing for CSRF to ride on.
// Personal data is only ever written with textContent, never innerHTML.
"use strict";

(function () {
  const TOKEN_KEY = "motcua.token";
  const cfg = JSON.parse(document.getElementById("motcua-config").textContent);

  class ApiError extends Error {
    constructor(status, detail) {
      super(detail || ("HTTP " + status));
      this.status = status;
      this.detail = detail;
    }
  }

  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  function api(path, options) {
    options = options || {};
    const headers = Object.assign({ "Accept": "application/json" }, options.headers || {});
    const t = token();
    if (t) headers["Authorization"] = "Bearer " + t;
    let body = options.body;
    if (body !== undefined && !(body instanceof FormData) && typeof body !== "string") {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(body);
    }
    return fetch(cfg.api + path, { method: options.method || "GET", headers: headers, body: body })
      .then(async function (resp) {
        if (resp.status === 401) {
          sessionStorage.removeItem(TOKEN_KEY);
          showLogin("Phiên đăng nhập đã hết hạn, hãy nhập lại mã truy cập.");
          throw new ApiError(401, "Chưa đăng nhập");
        }
        if (options.raw) return resp;
        const text = await resp.text();
        let data = null;
        if (text) { try { data = JSON.parse(text); } catch (e) { data = text; } }
        if (!resp.ok) {
          let detail = data && data.detail ? data.detail : null;
          if (detail && typeof detail !== "string") detail = JSON.stringify(detail);
          throw new ApiError(resp.status, detail || resp.statusText);
        }
        return data;
      });
  }

  // An image behind bearer auth: fetch it and hand back an object URL for <img src>.
  async function imageUrl(path) {
    const resp = await api(path, { raw: true, headers: { "Accept": "image/*" } });
    if (!resp.ok) throw new ApiError(resp.status, "Không tải được ảnh trang");
    return URL.createObjectURL(await resp.blob());
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === "text") node.textContent = v;
        else if (k === "class") node.className = v;
        else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
        else node.setAttribute(k, v === true ? "" : v);
      }
    }
    for (const c of [].concat(children || [])) {
      if (c === null || c === undefined) continue;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return node;
  }

  function formatTime(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    if (isNaN(d)) return iso;
    return d.toLocaleString("vi-VN", { hour12: false });
  }

  function procedureLabel(code) {
    const p = (cfg.procedures || []).find((x) => x.code === code);
    return p ? p.label : code;
  }

  function setStatus(node, message, kind) {
    node.textContent = message || "";
    node.classList.remove("error", "success");
    if (kind) node.classList.add(kind);
  }

  function showLogin(message) {
    const login = document.getElementById("login");
    const app = document.getElementById("app");
    if (!login) return;
    login.hidden = false;
    if (app) app.hidden = true;
    const msg = document.getElementById("login-status");
    if (message && msg) setStatus(msg, message, "error");
    const input = document.getElementById("login-token");
    if (input) input.focus();
  }

  // Shows the login form until a token is stored, then calls start(me).
  function boot(start) {
    const form = document.getElementById("login-form");
    const logout = document.getElementById("logout");
    if (logout) {
      logout.addEventListener("click", function () {
        sessionStorage.removeItem(TOKEN_KEY);
        window.location.reload();
      });
    }
    form.addEventListener("submit", async function (ev) {
      ev.preventDefault();
      const input = document.getElementById("login-token");
      const value = input.value.trim();
      if (!value) return;
      sessionStorage.setItem(TOKEN_KEY, value);
      input.value = "";
      await enter();
    });

    async function enter() {
      let me;
      try {
        me = await api(cfg.whoami);
      } catch (e) {
        if (e.status !== 401) {
          sessionStorage.removeItem(TOKEN_KEY);
          showLogin("Không kiểm tra được mã truy cập: " + e.message);
        }
        return;
      }
      if (cfg.roles && cfg.roles.indexOf(me.role) < 0) {
        const home = { field_agent: "/field", clerk: "/desk", admin: "/desk" }[me.role];
        if (home && home !== window.location.pathname) {
          window.location.href = home;  // the page made for this role
          return;
        }
        sessionStorage.removeItem(TOKEN_KEY);
        showLogin("Mã truy cập này không dùng được cho trang này (vai trò: " + me.role + ").");
        return;
      }
      document.getElementById("login").hidden = true;
      document.getElementById("app").hidden = false;
      const who = document.getElementById("who");
      if (who) who.textContent = me.name + (me.office ? " · " + me.office : "");
      if (logout) logout.hidden = false;
      start(me);
    }

    if (token()) enter(); else showLogin();
  }

  window.motcua = { cfg, api, imageUrl, el, formatTime, setStatus, boot, procedureLabel, ApiError };
})();
