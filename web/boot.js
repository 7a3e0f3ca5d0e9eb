// Loads the web app's WebAssembly module (kept out of index.html: the content security policy forbids inline scripts).
import init from '/app.js';

init({ module_or_path: '/app_bg.wasm' });
