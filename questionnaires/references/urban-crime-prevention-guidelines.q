# The Guidelines for cooperation and technical assistance in the field of urban crime
# prevention (Economic and Social Council resolution 1995/9, annex). The 2006/20 instrument
# names them; no paragraph of them is cited yet.

document urban_guidelines "Guidelines for cooperation and technical assistance in the field of "
    "urban crime prevention" {
  source "Economic and Social Council resolution 1995/9 of 24 July 1995, annex"
}
