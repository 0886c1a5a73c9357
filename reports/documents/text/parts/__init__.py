"""The wording of each part of a report, one module per part, each ``blocks(ctx) -> list[dict]``.

``citation`` (the opening "Thực hiện …"), ``leadership`` (I.), ``results`` (II., one function per section),
``comparison`` ("So với cùng kỳ …", closing II.1 when the report compares with an earlier plan),
``assessment`` (III.), ``directions`` (IV. and V.).
"""
