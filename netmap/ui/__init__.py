"""The Streamlit app's pages and the little they share; the only package that imports Streamlit.

``app.py`` opens the store and runs the pages of :data:`netmap.ui.navigation.PAGES` with
``st.navigation``; each page file also runs on its own (``AppTest.from_file``).

One job per module, imports running one way (pages -> widgets, demo, cached -> access ->
stores -> browser, text -> the library):

- ``browser``: where the browser is (this computer or another) and the name it used;
- ``text``: user text made safe for Streamlit's Markdown, country labels, waits in words;
- ``stores``: the app's store, opened once per server, one clear message when it fails;
- ``access``: who is using the app, the sign-in gate, and the store seen through the role;
- ``cached``: what pages compute from the network, cached per store revision
  (:func:`~netmap.ui.cached.per_revision`);
- ``widgets``: the institution picker, the modelled-records choice, table downloads, the
  sidebar's footer, errors as one message;
- ``demo``: the demo network on the first start, its note, the empty store's offer;
- ``profile``: an institution's profile (facts, contacts, ties, initiatives), one for
  every page that shows one;
- ``navigation``: the pages, their titles and the least role each needs;
- ``launch``: Streamlit's command line without its look-ups of this computer's address.
"""
