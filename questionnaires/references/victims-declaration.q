# The Declaration of Basic Principles of Justice for Victims of Crime and Abuse of Power
# (General Assembly resolution 40/34 of 29 November 1985, annex), by paragraph number, with the
# headings of its parts.
#
# The official text of the paragraphs is not in this repository's sources, so each paragraph
# is declared `pending`: it can be cited by number, and `qc coverage` and the compiled form
# show that its text is still to be added. Add each text from the official record
# (A/RES/40/34) word for word; never summarise or reword it here.

document victims_declaration "Declaration of Basic Principles of Justice for Victims of Crime and "
    "Abuse of Power" {
  source "General Assembly resolution 40/34 of 29 November 1985, annex"

  heading "A. Victims of crime"
  para 1 pending
  para 2 pending
  para 3 pending

  heading "Access to justice and fair treatment"
  para 4 pending
  para 5 pending
  para 6 pending
  para 7 pending

  heading "Restitution"
  para 8 pending
  para 9 pending
  para 10 pending
  para 11 pending

  heading "Compensation"
  para 12 pending
  para 13 pending

  heading "Assistance"
  para 14 pending
  para 15 pending
  para 16 pending
  para 17 pending

  heading "B. Victims of abuse of power"
  para 18 pending
  para 19 pending
  para 20 pending
  para 21 pending
}
