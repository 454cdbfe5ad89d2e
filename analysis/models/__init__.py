"""The models, assembled from the inputs: each module turns the validated inputs (typed by ``terms``) into one part
of the result, calling the pure functions of ``core``.

``terms`` (deal terms and register entries, typed), ``cashflow`` (the schedule, present values, fixed end dates),
``market`` (price evidence, trends, comparables, the median path and the price processes), ``credit`` (Reflection's
runway and survival), ``seller`` (capacity, cost, returns, financing, path-by-path economics), ``valuation`` (the
exit game under every model choice), ``sensitivity`` (one-way, price curve, scenarios, Sobol') and ``checks`` (the
preconditions ``python -m analysis check`` verifies).
"""
