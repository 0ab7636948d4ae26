//! The script that wakes the islands, in place of Leptos' `HydrationScripts`.
//!
//! Every island works as plain HTML first (forms that post, `<details>` menus), so the WASM
//! can wait: nothing fetches it before the browser is idle after the page is shown. Leptos'
//! own script preloads the WASM from the `<head>` at high priority, where on a slow phone
//! network it shares the line with the stylesheet and the pictures and delays the largest
//! paint. Once loaded, the islands are hydrated in document order, giving the browser back
//! its main thread every few milliseconds so that no task blocks input for long.
//!
//! The file names are read once (Leptos' component reads the hash file on every page).

use leptos::prelude::*;

/// The JS glue and the WASM of this build, as served under the site's package directory.
fn bundle(options: &LeptosOptions) -> &'static (String, String) {
    static NAMES: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let mut js = options.output_name.to_string();
        let mut wasm = options.output_name.to_string();
        if options.hash_files {
            // cargo-leptos writes `js: HASH` and `wasm: HASH` next to the server binary.
            let hashes = std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
                .and_then(|path| std::fs::read_to_string(path).ok())
                .unwrap_or_default();
            if hashes.is_empty() {
                tracing::error!("file hashing is on but the hash file is missing");
            }
            for (file, hash) in hashes.lines().filter_map(|l| l.split_once(':')) {
                match file.trim() {
                    "js" => js = format!("{js}.{}", hash.trim()),
                    "wasm" => wasm = format!("{wasm}.{}", hash.trim()),
                    _ => {}
                }
            }
        } else if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
            wasm.push_str("_bg");
        }
        let pkg = options.site_pkg_dir.to_string();
        (format!("/{pkg}/{js}.js"), format!("/{pkg}/{wasm}.wasm"))
    })
}

/// Waits for an idle moment, loads the WASM, then hydrates each `<leptos-island>` (the
/// contract of Leptos' islands: the island's export takes its element; an island's children
/// call back through `$$on_hydrate` on their `<leptos-children>`).
const LOADER: &str = r#"((js, wasm) => {
  const idle = (run) => ("requestIdleCallback" in window ? requestIdleCallback(run) : setTimeout(run, 1));
  const breathe = () => ("scheduler" in window && "yield" in scheduler
    ? scheduler.yield()
    : new Promise((resume) => setTimeout(resume, 0)));
  const children = [];
  let since = performance.now();
  async function island(el, mod) {
    if (performance.now() - since > 8) {
      await breathe();
      since = performance.now();
    }
    const start = mod[el.dataset.component];
    if (!start) {
      console.warn(`no WASM export for the island ${el.dataset.component}`);
      return;
    }
    const parent = children[children.length - 1];
    if (parent) parent();
    await start(el);
  }
  async function walk(node, mod) {
    for (const el of node.children) {
      const tag = el.tagName.toLowerCase();
      if (tag === "leptos-island") {
        await island(el, mod);
        await walk(el, mod);
      } else if (tag === "leptos-children") {
        children.push(el.$$on_hydrate);
        await walk(el, mod);
        children.pop();
      } else {
        await walk(el, mod);
      }
    }
  }
  idle(() => import(js).then(async (mod) => {
    await mod.default({ module_or_path: wasm });
    mod.hydrate();
    await walk(document.body, mod);
  }));
})"#;

/// The islands' loader, for the `<head>` of the shell.
#[component]
pub fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    // Islands mode renders the page outside hydration, as Leptos' own script sets it.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let (js, wasm) = bundle(&options);
    let nonce = leptos::nonce::use_nonce();
    view! { <script type="module" nonce=nonce>{format!("{LOADER}({js:?}, {wasm:?});")}</script> }
}
