"""On a phone, the menu folds away once a page is chosen in it.

Streamlit lays its menu over the page on a narrow screen and leaves it open after a
page is chosen: the animator would then close it by hand at every change of page.
This script, served in the page's head (see `habitat.ui.french.FrenchPage`), folds
it after a tap on one of its links, on a narrow screen only.
"""

from __future__ import annotations

#: Streamlit's narrow-screen layout starts below this width (CSS pixels).
NARROW_PX = 768

_SCRIPT = """<script>
(() => {
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest('[data-testid="stSidebarNavLink"]');
    if (!link || !window.matchMedia("(max-width: %(narrow)dpx)").matches) return;
    setTimeout(() => {
      const fold = document.querySelector('[data-testid="stSidebarCollapseButton"] button')
        || document.querySelector('[data-testid="stSidebarCollapseButton"]');
      if (fold) fold.click();
    }, 150);
  }, true);
})();
</script>"""


def script() -> str:
    """The `<script>` that folds the menu after a page is chosen on a phone."""
    return _SCRIPT % {"narrow": NARROW_PX - 1}
