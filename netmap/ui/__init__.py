"""The Streamlit app's pages and the little they share; the only package that imports Streamlit.

``app.py`` opens the store and runs the pages of :data:`netmap.ui.common.PAGES` with
``st.navigation``; each page file also runs on its own (``AppTest.from_file``).
"""
