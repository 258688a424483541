"""Our own language tools and Rasa components: language detection, lemmas, the crisis guard."""
