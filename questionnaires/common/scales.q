# The answer scales of the United Nations information-gathering instruments on standards and
# norms in crime prevention and criminal justice. Import them with
#   from "common/scales.q" import yes_no, yes_no_na
# "Not applicable" and "Yes, in part" are codes of their own, never folded into "No": a report
# leaves "Not applicable" out of its denominators.

scale yes_no "Yes / No" {
  yes "Yes"
  no "No"
}

scale yes_no_na "Yes / No / Not applicable" {
  yes "Yes"
  no "No"
  not_applicable "Not applicable"
}

scale yes_partly_no "Yes / Yes, in part / No" {
  yes "Yes"
  yes_in_part "Yes, in part"
  no "No"
}

scale yes_partly_no_na "Yes / Yes, in part / No / Not applicable" {
  yes "Yes"
  yes_in_part "Yes, in part"
  no "No"
  not_applicable "Not applicable"
}
