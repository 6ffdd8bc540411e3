# The areas of technical assistance of the information-gathering instruments, as named rows
# that grids share: the technical-assistance grid of each instrument, where Member States say
# what they need and can provide, and the grids of the providers' instrument (operative para. 6
# of resolution 2006/20), where organizations say what they can provide. Grids that use the
# same named rows ask about the same areas, so `qc report --providers` can set needs beside
# offers, area by area. Import them with
#   from "common/areas.q" import crime_prevention_areas
# Each area cites the paragraphs of the standard it concerns.

from "../references/crime-prevention-guidelines.q" import guidelines
from "../references/victims-declaration.q" import victims_declaration

# The areas of the annex of resolution 2006/20, after question 26.
rows crime_prevention_areas {
  row structures "Including prevention as a permanent part of government structures"
      cites guidelines 17
  row skills "Government support for the development of crime prevention skills"
      cites guidelines 18
  row partnerships "Government and civil society support of partnerships" cites guidelines 19
  row social "Social crime prevention" cites guidelines 6 (a), 8 and 25
  row local "Locally based or neighbourhood crime prevention" cites guidelines 6 (b)
  row situational "Situational crime prevention" cites guidelines 6 (c) and 26
  row recidivism "Prevention of recidivism" cites guidelines 6 (d)
  row sustainability "Sustainability and accountability of crime prevention"
      cites guidelines 1, 10 and 20
  row knowledge "Knowledge-based crime prevention" cites guidelines 11 and 21
  row planning "Planning interventions" cites guidelines 22
  row evaluation "Monitoring and evaluation" cites guidelines 23
  row organized_crime "Assessing the links between local crime problems and transnational "
      "organized crime" cites guidelines 13, 27 and 31
}

# The areas of the draft instrument on victim issues (operative para. 8).
rows victim_issues_areas {
  row access "Access to justice and fair treatment" cites victims_declaration 4, 5 and 6
  row restitution "Restitution" cites victims_declaration 8, 9, 10 and 11
  row compensation "Compensation" cites victims_declaration 12 and 13
  row services "Assistance and services to victims" cites victims_declaration 14 and 15
  row training "Training of personnel" cites victims_declaration 16
  row abuse "Victims of abuse of power" cites victims_declaration 18, 19 and 21
}
