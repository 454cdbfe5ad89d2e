"""Models behind the Colossus–Reflection deal book: sourced inputs in, one computed result, cited key figures out.

Layers, each importing only from those above it: ``conventions``, ``validate``, ``formatting`` and ``methods`` (the
method register); ``inputs`` (types, schemas, readers, bibliography, register) and ``core`` (pure models); ``models``
(every computation, assembled from the inputs); ``results`` (``compute``: every model run once); ``keyfigures`` (the
cited numbers, per chapter) and ``environment`` (the only reader of the environment); ``present`` (tables, charts,
prose, exports, editions); and the command line ``cli``. ``keyfigures`` and ``present`` read the result and never
import ``core``.
"""

__version__ = "0.3.0"
