/**
 * Light or dark, for the operator pages (the wall keeps its own dark look): the system's
 * preference, unless the header's toggle chose otherwise in this browser (remembered in
 * localStorage; a choice equal to the system's is forgotten, so the page follows the system again).
 */
export const THEME_STORAGE_KEY = 'frontier-theme';
export const DARK_QUERY = '(prefers-color-scheme: dark)';

/**
 * Runs inline in <head>, before the body is parsed: the right theme from the first paint, no
 * flash of light. It follows the system while nothing is stored, and other tabs' choices.
 */
export const THEME_SCRIPT = `(function () {
  try {
    var root = document.documentElement;
    var system = window.matchMedia(${JSON.stringify(DARK_QUERY)});
    var apply = function () {
      var chosen = window.localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});
      root.classList.toggle('dark', chosen ? chosen === 'dark' : system.matches);
    };
    apply();
    system.addEventListener('change', apply);
    window.addEventListener('storage', apply);
  } catch (error) {}
})();`;

/** Shows `dark` now and remembers it, unless it is what the system prefers anyway. */
export function chooseTheme(dark: boolean): void {
  document.documentElement.classList.toggle('dark', dark);
  try {
    if (window.matchMedia(DARK_QUERY).matches === dark) window.localStorage.removeItem(THEME_STORAGE_KEY);
    else window.localStorage.setItem(THEME_STORAGE_KEY, dark ? 'dark' : 'light');
  } catch {
    // Storage refused (a private window's quota, a policy): the choice holds for this page only.
  }
}
