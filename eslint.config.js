// ESLint for the app's own scripts (make lint). They are plain scripts, no bundler and no modules: each page
// loads them with <script src> under a strict CSP (fieldsvc/security.py), the service worker with importScripts.
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  { ignores: ["node_modules/", "bench/", ".venv/"] },
  js.configs.recommended,
  {
    files: ["static/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,  // BigInt literals (metering.js); nothing newer, for the phones in the field
      sourceType: "script",
      globals: { ...globals.browser },
    },
  },
  {
    // outbox-db.js defines OutboxDB for the outbox page and for the service worker (importScripts).
    files: ["static/js/outbox-page.js", "static/js/sw.js"],
    languageOptions: { globals: { OutboxDB: "readonly" } },
  },
  {
    // fieldsvc/core/pwa.py replaces __SHELL__ with the list of files to keep when it serves /sw.js.
    files: ["static/js/sw.js"],
    languageOptions: { globals: { ...globals.serviceworker, __SHELL__: "readonly" } },
  },
];
