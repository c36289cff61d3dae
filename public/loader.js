// Trunk's initializer: the loading screen of index.html follows the download of the app (the
// share of its bytes received) and goes once the app has started. Written in
// JavaScript because it must run before the wasm exists.
const TEXT = {
  fr: { loading: 'Chargement…', failed: 'Le chargement a échoué. Vérifiez la connexion, puis rechargez la page.' },
  en: { loading: 'Loading…', failed: 'Loading failed. Check the connection, then reload the page.' },
};

// A return visit opens from the cached shell; when the service worker has cached a newer build
// it says so here, before or after the app starts, and the app offers to reload
// (src/components/new_version.rs).
navigator.serviceWorker?.addEventListener('message', (event) => {
  if (event.data?.type !== 'new-version') return;
  document.documentElement.dataset.newVersion = '1';
  window.dispatchEvent(new Event('networkshop:new-version'));
});
navigator.serviceWorker?.startMessages?.();

export default function initializer() {
  const language = (navigator.language || 'en').toLowerCase().startsWith('fr') ? 'fr' : 'en';
  const text = TEXT[language];
  const screen = document.getElementById('loading');
  const label = document.getElementById('loading-label');
  const bar = document.getElementById('loading-bar');
  const detail = document.getElementById('loading-detail');
  // The share received, as the language writes a percentage ("42 %" in French). Made once the
  // download has started, in a task of its own: a page's first number format loads the
  // browser's number data (30–100 ms here), which the app's first task, building the page,
  // would otherwise wait for while the main thread is idle now.
  let percent = null;
  const percentFormat = () => (percent ??= new Intl.NumberFormat(language, { style: 'percent' }));
  return {
    onStart: () => {
      if (label) label.textContent = text.loading;
      setTimeout(percentFormat, 0);
    },
    // `total` is the app's size as built; `current` counts the same bytes as they arrive.
    onProgress: ({ current, total }) => {
      if (!(total > 0)) return;
      if (bar) {
        bar.max = total;
        bar.value = Math.min(current, total);
      }
      if (detail) detail.textContent = percentFormat().format(Math.min(1, current / total));
    },
    onComplete: () => {},
    onSuccess: () => screen?.remove(),
    onFailure: (error) => {
      if (label) label.textContent = text.failed;
      bar?.remove();
      console.error(error);
    },
  };
}
