"""Models behind the Colossus–Reflection deal book: sourced inputs in, one computed result, cited key figures out.

Layers, each importing only from those above it: ``conventions`` and ``validate``; ``inputs`` (types, schemas,
readers, bibliography, register); ``core`` (pure models: finance, contract, pricing, termination, capex);
``assembly`` (the models built from the inputs); ``sensitivity``; ``results`` (``compute``: every model run once);
``registry`` (the key figures); ``present`` (formatting, tables, figures, exports, editions); and the edges
``cli`` and ``present.book`` (the only places that read the environment).
"""

__version__ = "0.2.0"
