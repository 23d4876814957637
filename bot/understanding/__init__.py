"""Understanding: what a message means, from text to an intent or a reply act.

Normalisation and lemmas (``text``, ``lemmas``), language identification
(``language``), the general-language background that decides what is in scope
(``scope``), the discriminative models fitted on the knowledge's phrases
(``features``, ``model``) and the two readers built on them: ``Matcher``
(which problem, question or request a message is) and ``ReplyReader`` (what a
reply means in the middle of a fix). See docs/matching.md.
"""
