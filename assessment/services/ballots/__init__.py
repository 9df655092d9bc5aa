"""Paper ballots: the rating template written to Excel and the filled template read back.

The template is a sheet ``评分表`` with one row per expected rating — columns
``被评价人工号``, ``被评价人姓名``, ``评价主体`` (个人自评 / 党员互评 / 群众参评 / 组织考评),
``评价人工号`` (the ratee's own employee number on a self row, nothing on any other) and
``票号`` (on a peer or masses row: a number such as ``E0001-P03`` that names the ratee
and the ballot, never the rater), then one column per rubric item code — and a sheet
``考核细则`` with each item's code, area, name and maximum. A template written before the
headers were Chinese (sheet ``ratings``, ``ratee_employee_no`` … ``ballot_no``, groups
self / peer / masses / org) is read as well.

Anonymity (docs/reliability.md): a peer or masses row names no rater, so whoever
types the paper ballots in learns nothing about who gave what, and the rows are never
pre-filled. Peer and masses rows appear only for a branch that chose paper for that
group in the period (RatingChannel); the web refuses that group's ratings there, so
nobody is counted twice. A ballot number already entered is left as it is and counted,
never compared with what was typed: the preview says how many ballots each ratee gets,
never whether a typed row equals a stored one. Self and organisation rows are named,
carry the scores already given, and replace them.

A row whose item cells are all blank means "not rated here" and is skipped; a row with
some cells blank is refused: a blank is never a zero. Importing is all or nothing: every
row is checked with the web form's own validation (``clean_scores``) and the same
who-rates-whom rules, every bad row is reported with its Excel row number, column and
reason, and nothing is written unless the whole file is good. Importing a file twice
changes nothing the second time.
"""
