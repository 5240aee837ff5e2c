"""Stage after the audit: plan fixes of the cited links and write them into the paper.

``plan`` turns an :class:`~footcheck.model.Audit` and the paper's source text into
:class:`~footcheck.fix.interface.Edit` objects (pure); ``apply`` makes the diff and writes a
corrected copy or, with a backup, the paper itself.
"""

from footcheck.fix.interface import Edit, FixKind, FixPlan

__all__ = ["Edit", "FixKind", "FixPlan"]
