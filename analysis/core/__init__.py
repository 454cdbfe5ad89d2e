"""Pure models over plain types and numpy arrays: discounting, the contract, pricing, termination risk, capex.

Nothing here reads files, the environment or the assumption register; inputs arrive as arguments.
"""
