# DRAFT. The providers' instrument: operative paragraph 6 of Economic and Social Council
# resolution 2006/20 asks UNODC to seek information from intergovernmental and
# non-governmental organizations, the institutes of the United Nations Crime Prevention and
# Criminal Justice Programme network and other United Nations entities on their capacity to
# provide technical assistance in the areas of the information-gathering instrument. It is not
# an adopted text: its questions are a working draft.
#
# Its grids ask about the same areas as the technical-assistance grids of the crime-prevention
# and victim-issues instruments: they use the same named rows (`common/areas.q`). That is what
# lets `qc report … --providers technical-assistance-providers.q REPLIES` set each area's needs
# (from Member States) beside its offers (from Member States and from these organizations).

instrument technical_assistance_providers {
  title "Capacity to provide technical assistance in the areas of the information-gathering "
      "instruments on United Nations standards and norms in crime prevention and criminal justice "
      "(draft)"
  resolution "Prepared pursuant to Economic and Social Council resolution 2006/20, operative "
      "paragraph 6"
  version "0.1"
  language "en"
  status "draft: not adopted, for consultation"
}

from "common/scales.q" import yes_no
from "common/areas.q" import crime_prevention_areas, victim_issues_areas
from "references/resolution-2006-20.q" import resolution_2006_20

# The report on the replies gathers what organizations say of their assistance under one
# heading, as the Secretary-General's report does under para. 10 (b).
report {
  heading assistance "Ways in which technical assistance can be provided"
  heading practices "Experience and useful practices of the providers"
}

introduction {
  text "This draft questionnaire seeks information from intergovernmental and non-governmental "
      "organizations, from the institutes of the United Nations Crime Prevention and Criminal "
      "Justice Programme network and from other United Nations entities on their capacity to "
      "provide "
      "technical assistance in the areas of the information-gathering instruments on United "
      "Nations "
      "standards and norms in crime prevention and on victim issues."
  text "The areas are those in which Member States are asked whether they need technical "
      "assistance, so that needs and offers can be matched."
}

scale provider_kind "Kind of organization" {
  intergovernmental "Intergovernmental organization"
  non_governmental "Non-governmental organization"
  programme_network "Institute of the United Nations Crime Prevention and Criminal Justice "
      "Programme network"
  united_nations "Other United Nations entity"
}

respondent "Information on the organization" {
  question organization "Name of the organization" : text
  question kind "Kind of organization" : provider_kind
  question office "Unit or office that prepared the reply" : text
  question focal_point "Focal point for the reply: name, title, telephone and e-mail address"
      : long_text
  question replied_on "Date of the reply" : date
}

section crime_prevention "Technical assistance in crime prevention" {
  text "The relevant paragraph of resolution 2006/20 reads:"
  quote resolution_2006_20 6

  question p1 "Is your organization able to provide technical assistance in any area of crime "
      "prevention?" : yes_no {
    cites resolution_2006_20 6
  }

  grid p1_areas "If the answer to question 1 is “Yes”, please mark the appropriate box(es) below:"
      when p1 = yes {
    feeds assistance
    column provide "Can provide technical assistance"
    column provided "Has provided technical assistance in the last five years"
    rows crime_prevention_areas
  }
}

section victim_issues "Technical assistance on victim issues" {
  question p2 "Is your organization able to provide technical assistance in any area related to "
      "victims of crime and abuse of power?" : yes_no {
    cites resolution_2006_20 6
  }

  grid p2_areas "If the answer to question 2 is “Yes”, please mark the appropriate box(es) below:"
      when p2 = yes {
    feeds assistance
    column provide "Can provide technical assistance"
    column provided "Has provided technical assistance in the last five years"
    rows victim_issues_areas
  }
}

section reach "Forms and reach of the assistance" {
  question p3 "In which forms can your organization provide technical assistance?" : many of {
    advisory "Advisory services and expert missions"
    legislative "Legislative and policy drafting assistance"
    training "Training and capacity-building"
    research "Research, data collection and evaluation"
    tools "Manuals, toolkits and other materials"
    funding "Funding"
  } when p1 = yes or p2 = yes {
    cites resolution_2006_20 6
  }

  question p4 "In which regions can your organization provide it?" : many of {
    africa "Africa"
    americas "Americas"
    asia "Asia"
    europe "Europe"
    oceania "Oceania"
  } when p1 = yes or p2 = yes {
    cites resolution_2006_20 6
  }

  question p5 "Please describe your organization's experience in providing technical assistance in "
      "these areas, with examples of projects and the countries where they took place." : long_text
      when p1 = yes or p2 = yes {
    cites resolution_2006_20 6
    optional
    feeds practices
  }

  question p6 "Please indicate your organization's centre or focal point for technical assistance "
      "in crime prevention, if there is one." : long_text {
    cites resolution_2006_20 7
    optional
    feeds assistance
  }
}

# ---------------------------------------------------------------------------------------------
# Tests of the logic

test "after “Yes”, the areas and the forms of assistance are asked" {
  given { p1 = yes, p2 = no }
  expect p1_areas asked
  expect p2_areas not asked
  expect p3 required
  expect p4 required
  expect p5 asked
}

test "after “No” twice, only the centre is asked" {
  given { p1 = no, p2 = no }
  expect p1_areas not asked
  expect p2_areas not asked
  expect p3 not asked
  expect p5 not asked
  expect p6 asked
}

test "after “Yes” on victim issues only, only their areas are asked" {
  given { p1 = no, p2 = yes }
  expect p1_areas not asked
  expect p2_areas asked
  expect p3 required
}
