# The information-gathering instrument on United Nations standards and norms related primarily
# to the prevention of crime: the annex of Economic and Social Council resolution 2006/20.
#
# Texts are those of the resolution; quotation marks are typographic throughout. Answer
# boxes printed as "Yes No" are the scales of `common/scales.q`; the Guidelines that the
# questions cite are in `references/`.

instrument crime_prevention {
  title "Information-gathering instrument on United Nations standards and norms related primarily "
      "to the prevention of crime"
  resolution "Economic and Social Council resolution 2006/20, annex"
  date "2006-07-27"
  version "1.0"
  language "en"
}

# ---------------------------------------------------------------------------------------------
# Answer scales, reference documents and the parts shared with other instruments

from "common/scales.q" import yes_no, yes_no_na, yes_partly_no, yes_partly_no_na
from "references/crime-prevention-guidelines.q" import guidelines
from "references/urban-crime-prevention-guidelines.q" import urban_guidelines
from "references/crime-public-security-declaration.q" import crime_security_declaration
from "common/blocks.q" import member_state_reply, technical_assistance, concluding
from "common/areas.q" import crime_prevention_areas

# Translations of the texts, one JSON file per language keyed by stable ids (see
# docs/language.md). The French and Spanish files translate the structure only (title, section
# titles, scales and the technical-assistance grid) and are unofficial drafts.
translation fr "translations/crime-prevention.fr.json"
translation es "translations/crime-prevention.es.json"

# ---------------------------------------------------------------------------------------------

# The headings of the Secretary-General's report on the replies (para. 10 of the resolution),
# under which `qc report` gathers the answers of the items that feed them. No question of the
# annex asks for suggestions (d): the report says so under that heading.
report {
  heading difficulties "The difficulties encountered in the application of United Nations "
      "standards and norms related primarily to crime prevention"
  heading assistance "Ways in which technical assistance can be provided to overcome those "
      "difficulties"
  heading practices "Useful practices in addressing existing and emerging challenges in this field"
  heading suggestions "Suggestions from Member States of ways to further improve the existing "
      "standards and norms"
}

introduction {
  text "Pursuant to Economic and Social Council resolution 2004/28 of 21 July 2004, the following "
      "questionnaire is designed as a tool to collect information to assist in the preparation of "
      "the report of the Secretary-General, in particular as regards the following:"
  text "(a) The difficulties encountered in the application of United Nations standards and norms "
      "in crime prevention;"
  text "(b) Ways in which technical assistance can be provided; and"
  text "(c) Useful practices and emerging challenges."
  text "It is not intended to produce a scorecard of how well States are doing. It addresses the "
      "main sections of the Guidelines for the Prevention of Crime (Council resolution 2002/13, "
      "annex) and, as the case may be, other relevant instruments."
  text "Economic and Social Council resolution 2002/13 of 24 July 2002 on action to promote "
      "effective crime prevention accepted the Guidelines for the Prevention of Crime, and also "
      "requested the Secretary-General to report to the Commission on Crime Prevention and "
      "Criminal "
      "Justice on the implementation of that resolution. "
      "In the Guidelines, crime prevention refers to “strategies and measures that seek to reduce "
      "the risk of crimes occurring” by influencing “their multiple causes” (para. 3). "
      "It includes social crime prevention (or prevention through social development), local, "
      "community or neighbourhood-based crime prevention, situational crime prevention and "
      "measures "
      "to prevent recidivism. "
      "The definition does not include law enforcement and other criminal justice intervention, "
      "even "
      "though these may have crime prevention aspects. "
      "It is cognizant, however, of the need to take account of “the growing internationalization "
      "of "
      "criminal activities” (para. 4). "
      "When referring to the community, it refers in essence to “the involvement of civil society "
      "at "
      "the local level” (para. 5)."
  text "Other instruments relevant to the prevention of crime include:"
  text "Economic and Social Council resolution 1995/9 of 24 July 1995, the annex to which contains "
      "the Guidelines for cooperation and technical assistance in the field of urban crime "
      "prevention"
  text "General Assembly resolution 51/60 of 12 December 1996, the annex to which contains the "
      "United Nations Declaration on Crime and Public Security"
  text "The questionnaire is divided into five sections: structuring crime prevention at the "
      "government level; crime prevention approaches; implementation issues; international "
      "cooperation, networking and technical assistance; and concluding questions. "
      "In developing the questionnaire, related paragraphs have been grouped for simplicity and "
      "clarity."
}

# Who replies: the Member State, the office, its focal point and the date (not printed in the
# annex; see `common/blocks.q`). Not numbered, so the questions keep the annex's numbers.
respondent "Information on the reply" {
  use member_state_reply()
}

# ---------------------------------------------------------------------------------------------

section government "Structuring crime prevention at the government level" {
  text "The following paragraphs of the Guidelines for the Prevention of Crime refer to government "
      "responsibility, leadership and structures to organize and deliver effective crime "
      "prevention:"
  quote guidelines 2, 7, 9, 17, 18 and 19

  question q1 "Have Government bodies in your country taken steps to implement the approach to "
      "crime prevention defined in the Guidelines?" : yes_no {
    cites guidelines 2 and 7
    followup q1_steps "If the answer is “Yes”, please describe briefly." : long_text on yes
  }

  question q2 "In your country, have specific crime prevention policies or strategies been "
      "adopted?" {
    cites guidelines 7 and 17 (b)
    item q2a "At the national level?" : yes_no {
      followup q2a_adoption "If the answer is “Yes”, please indicate the title and date of "
          "adoption." on yes {
        field q2a_title "Title" : text
        field q2a_date "Date of adoption" : date
      }
      ask q2a_legislation "Has this policy or strategy been enshrined in legislation?" : yes_no
          when q2a = yes {
        followup q2a_legislation_adoption "If the answer is “Yes”, please provide the reference "
            "and date of adoption." on yes {
          field q2a_legislation_reference "Reference" : text
          field q2a_legislation_date "Date of adoption" : date
        }
      }
    }
    item q2b "At the regional level?" : yes_no
    item q2c "At the local level?" : yes_no
    followup q2_specify "If the answer to (b) and/or (c) above is “Yes”, please specify."
        : long_text when q2b = yes or q2c = yes
  }

  question q3 "In your country, which Government department, ministry or organization at the "
      "national level has the responsibility for leadership in crime prevention?" : long_text {
    cites guidelines 7 and 17
    help "Please specify."
  }

  question q4 "In your country, does the organization or framework of crime prevention include:" {
    cites guidelines 17
    item q4a "A centre or focal point at the national level?" : yes_no {
      cites guidelines 17 (a)
      followup q4a_agencies "If the answer is “Yes”, please cite the name and status of the "
          "responsible agency or agencies." : list {
        field name "Name of the agency" : text
        field status "Status" : text
      } on yes
    }
    item q4b "Centres or focal points at the regional level?" : yes_no_na {
      cites guidelines 17 (a)
    }
    item q4c "Establishing crime prevention plans with clear priorities?" {
      cites guidelines 17 (b)
      item q4c_national "At the national level?" : yes_partly_no
      item q4c_regional "At the regional level?" : yes_partly_no_na
      item q4c_local "At the local level?" : yes_partly_no
    }
    item q4d "Establishing linkages and coordination between relevant government agencies and "
        "organizations?" {
      cites guidelines 17 (c)
      item q4d_national "At the national level?" : yes_partly_no
      item q4d_regional "At the regional level?" : yes_partly_no_na
    }
    item q4e "Fostering partnerships with non-governmental organizations, the business, private "
        "and professional sectors and the community?" {
      cites guidelines 9 and 17 (d)
      item q4e_national "At the national level?" : yes_partly_no
      item q4e_regional "At the regional level?" : yes_partly_no_na
      item q4e_local "At the local level?" : yes_partly_no
    }
    item q4f "Seeking the active participation of the general public?" {
      cites guidelines 17 (e)
      item q4f_national "At the national level?" : yes_partly_no
      item q4f_regional "At the regional level?" : yes_partly_no_na
      item q4f_local "At the local level?" : yes_partly_no
    }
    item q4g "A specific role for the police and other institutions performing similar roles?"
        : yes_no {
      followup q4g_role "If the answer is “Yes”, please describe." : long_text on yes
    }
  }

  question q5 "In your country, do Government bodies support the development of crime prevention "
      "skills by:" {
    cites guidelines 18
    item q5a "Providing professional development?" : yes_no { cites guidelines 18 (a) }
    item q5b "Encouraging relevant educational institutions to offer basic and advanced courses?"
        : yes_no { cites guidelines 18 (b) }
    item q5c "Working to develop certification and professional qualifications?"
        : yes_no { cites guidelines 18 (c) }
    item q5d "Promoting the capacity of communities to develop and respond to their own needs?"
        : yes_no { cites guidelines 18 (d) }
  }
}

section approaches "Crime prevention approaches" {
  text "Crime prevention as defined in the relevant instruments refers to various approaches "
      "generally called social, community-based and situational crime prevention, as well as "
      "preventing recidivism."

  text "In respect to social crime prevention, relevant paragraphs of the Guidelines for the "
      "Prevention of Crime include:"
  quote guidelines 6 (a), 8 and 25

  question q6 "Is the concept of social crime prevention (as defined in paragraph 6 (a) of the "
      "Guidelines for the Prevention of Crime) part of your country's crime prevention policy, "
      "strategy or programmes?" : yes_no {
    cites guidelines 6 (a)
  }

  question q7 "Do your country's crime prevention policies, strategies or programmes include a "
      "specific focus on:" {
    cites guidelines 6 (a) and 8
    item q7a "Children and youth at risk of victimization or offending?" : yes_no {
      followup q7a_specify "If the answer is “Yes”, please specify." : long_text on yes
    }
    item q7b "Vulnerable groups?" : yes_no {
      followup q7b_specify "If the answer is “Yes”, please specify." : long_text on yes
    }
    item q7c "The different needs of men and women?" : yes_no {
      followup q7c_specify "If the answer is “Yes”, please specify." : long_text on yes
    }
  }

  question q8 "Are crime prevention considerations integrated into relevant social and economic "
      "policies and programmes?" : yes_no {
    cites guidelines 8
    followup q8_specify "If the answer is “Yes”, please specify." : long_text on yes
  }

  question q9 "In your country, do crime prevention policies, strategies or programmes:" {
    cites guidelines 25
    item q9a "Promote protective factors (e.g. staying in school, positive parenting, job training "
        "for youth, etc.)?" : yes_no {
      cites guidelines 25 (a)
      followup q9a_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
    }
    item q9b "Promote activities to redress marginalization or exclusion?" : yes_no {
      cites guidelines 25 (b)
      followup q9b_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
    }
    item q9c "Promote positive conflict resolution (e.g. mediation, restorative justice, etc.)?"
        : yes_no {
      cites guidelines 25 (c)
      followup q9c_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
    }
    item q9d "Use education and public awareness?" : yes_no {
      cites guidelines 25 (d)
      followup q9d_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
    }
    item q9e "Involve the media?" : yes_no {
      cites guidelines 25 (d)
      followup q9e_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
    }
  }

  text "In respect of community or locally based crime prevention, relevant paragraphs of the "
      "Guidelines for the Prevention of Crime include:"
  quote guidelines 6 (b)

  question q10 "Does your country have specific crime prevention policies, strategies or "
      "programmes designed to change the conditions that influence offending, victimization and "
      "insecurity in neighbourhoods?" : yes_no {
    cites guidelines 6 (b)
    followup q10_specify "If the answer is “Yes”, please specify." : long_text on yes
  }

  question q11 "Does your crime prevention policy or strategy include an integrated approach to "
      "address the multiple risk and protective factors in highly vulnerable neighbourhoods or "
      "communities?" : yes_no {
    cites guidelines 6 (b)
    followup q11_specify "If the answer is “Yes”, please specify." : long_text on yes
  }

  text "In respect of situational crime prevention, relevant paragraphs of the Guidelines for the "
      "Prevention of Crime include:"
  quote guidelines 6 (c) and 26

  question q12 "Does your country have specific situational crime prevention policies, strategies "
      "or programmes to:" {
    cites guidelines 6 (c) and 26
    item q12a "Improve environmental design and management?" : yes_no {
      cites guidelines 26 (a)
      followup q12a_specify "If the answer is “Yes”, please specify." : long_text on yes
    }
    item q12b "Implement appropriate methods of surveillance that are sensitive to privacy?"
        : yes_no {
      cites guidelines 26 (b)
      followup q12b_specify "If the answer is “Yes”, please specify." : long_text on yes
    }
    item q12c "Promote target hardening without impinging on the quality of the built environment?"
        : yes_no {
      cites guidelines 26 (d)
      followup q12c_specify "If the answer is “Yes”, please specify." : long_text on yes
    }
    item q12d "Encourage the design of crime-resistant consumer goods?" : yes_no {
      cites guidelines 26 (c)
      followup q12d_specify "If the answer is “Yes”, please specify." : long_text on yes
    }
    item q12e "Implement strategies to prevent repeat victimization?" : yes_no {
      cites guidelines 26 (e)
      followup q12e_specify "If the answer is “Yes”, please specify." : long_text on yes
    }
  }

  text "In respect of the prevention of recidivism, relevant paragraphs of the Guidelines for the "
      "Prevention of Crime include:"
  quote guidelines 6 (d)

  question q13 "In your country, do you have specific policies, strategies or programmes to "
      "prevent recidivism by assisting in the social reintegration of offenders and other "
      "preventive "
      "mechanisms?" : yes_no {
    cites guidelines 6 (d)
    followup q13_specify "If the answer is “Yes”, please specify." : long_text on yes
  }
}

section implementation "Implementation issues" {
  text "Sustainability and accountability are important principles to ensure the implementation of "
      "effective crime prevention programmes and initiatives. The relevant paragraphs of the "
      "Guidelines for the Prevention of Crime are:"
  quote guidelines 1, 10 and 20

  question q14 "In your country, what measures have been taken to ensure the sustainability of "
      "crime prevention policies, strategies and programmes?" : long_text {
    cites guidelines 10 and 20
    help "Please describe briefly."
  }

  question q15 "In your country, have there been systematic attempts to assess the costs of crime "
      "and crime control measures, including crime prevention measures?" : yes_no {
    cites guidelines 1 and 10
    followup q15_costs "If the answer is “Yes”, please provide the source of funding and an "
        "estimate of the total costs." on yes {
      field q15_funding_source "Source of funding" : text
      field q15_total_costs "Estimate of the total costs" : amount
    }
  }

  text "In implementing crime prevention, elements of a rigorous process have been identified. The "
      "relevant paragraphs of the Guidelines for the Prevention of Crime are:"
  quote guidelines 11, 21, 22 and 23

  question q16 "In your country, is the use of knowledge-based crime prevention strategies, "
      "policies or programmes facilitated by:" {
    cites guidelines 11 and 21
    item q16a "Supporting the generation and utilization of useful information and data?"
        : yes_no {
      cites guidelines 21 (b)
      followup q16a_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
    }
    item q16b "Supporting the sharing of useful information and data?" : yes_no {
      cites guidelines 21 (d)
      followup q16b_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
    }
    item q16c "Promoting the application of useful information and data to reduce repeat "
        "victimization, persistent offending and high crime areas?" : yes_no {
      cites guidelines 21 (g)
      followup q16c_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
    }
  }

  question q17 "In your country, do the crime prevention policies, strategies or programmes "
      "promote a planning process that includes:" {
    cites guidelines 22
    item q17a "A systematic analysis of crime problems, their causes and risk factors and "
        "consequences, in particular at the local level?" : yes_no {
      cites guidelines 22 (a)
      followup q17a_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
    }
    item q17b "A plan that draws on the most appropriate approaches and adapts interventions to "
        "the specific local problems and local context?" : yes_no {
      cites guidelines 22 (b)
      followup q17b_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
    }
    item q17c "An implementation plan to deliver efficient, effective and sustainable "
        "interventions?" : yes_no {
      cites guidelines 22 (c)
      followup q17c_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
    }
    item q17d "Mobilizing entities that are able to tackle causes?" : yes_no {
      cites guidelines 22 (d)
      followup q17d_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
    }
    item q17e "Monitoring and evaluation?" : yes_no {
      cites guidelines 22 (e)
      followup q17e_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
    }
  }

  question q18 "In your country, do the crime prevention policies, strategies or programmes "
      "include:" {
    cites guidelines 23
    item q18a "Undertaking evaluation to test rigorously what works?" : yes_no {
      cites guidelines 23 (a)
      followup q18a_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
    }
    item q18b "Undertaking cost-benefit analyses?" : yes_no {
      cites guidelines 23 (b)
      followup q18b_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
    }
    item q18c "Assessing reduction in crime, victimization and fear of crime?" : yes_no {
      cites guidelines 23 (c)
      followup q18c_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
    }
    item q18d "Assessing outcomes and unintended consequences?" : yes_no {
      cites guidelines 23 (d)
      followup q18d_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
    }
  }

  question q19 "Has an evaluation of components or specific activities of your country's national "
      "crime prevention policy or strategy been undertaken?" : yes_no {
    cites guidelines 23
    followup q19_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
  }

  text "The Guidelines for the Prevention of Crime recognize the links between local and "
      "transnational organized crime and the need to prevent organized crime. The relevant "
      "paragraphs of the Guidelines are:"
  quote guidelines 13, 27 and 31

  question q20 "In your country, do crime prevention policies, strategies or programmes assess the "
      "potential links between local and national crime problems and transnational organized crime?"
      : yes_no {
    cites guidelines 13 and 31
    followup q20_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
  }

  question q21 "In your country, do the crime prevention policies, strategies or programmes "
      "include:" {
    cites guidelines 27
    item q21a "Measures to reduce opportunities for organized criminal groups to participate in "
        "lawful markets?" : yes_no {
      cites guidelines 27 (a)
      followup q21a_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
    }
    item q21b "Measures to prevent the misuse of public tender procedures, subsidies and licences?"
        : yes_no {
      cites guidelines 27 (b)
      followup q21b_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
    }
    item q21c "Measures to protect socially marginalized groups, especially women and children, "
        "who are vulnerable to exploitation by organized criminal groups, including preventing "
        "trafficking in persons and the smuggling of migrants?" : yes_no {
      cites guidelines 27 (c)
      followup q21c_describe "If the answer is “Yes”, please describe briefly." : long_text on yes
    }
  }
}

section cooperation "International cooperation, networking and technical assistance" {
  text "Member States are encouraged to facilitate international cooperation and develop networks "
      "for the exchange of practices and knowledge. The relevant paragraphs of the Guidelines for "
      "the Prevention of Crime include:"
  quote guidelines 29, 30, 32 and 33

  question q22 "Does your country participate in international networks for the exchange of "
      "information and knowledge on crime prevention policies, strategies or programmes?"
      : yes_no {
    cites guidelines 30
    followup q22_specify "If the answer is “Yes”, please specify." : long_text on yes
  }

  question q23 "What are the main obstacles to your country participating in international "
      "networking?" : long_text {
    cites guidelines 30
    help "Please describe."
    feeds difficulties
  }

  question q24 "Please identify guides, toolkits, compendiums or manuals of crime prevention "
      "practices from your country that can be shared with other countries." : list {
    field title "Title" : text
    field year "Year of publication" : integer min 1900 max 2100 optional
    field language "Language" : text optional
    field link "Link" : text optional
  } {
    cites guidelines 30 and 33
    optional
    feeds practices
  }

  question q25 "Does your country need technical assistance in any area of crime prevention?"
      : yes_no {
    cites guidelines 29 and 32
  }

  question q26 "Is your country able to provide technical assistance in any area of crime "
      "prevention?" : yes_no {
    cites guidelines 29
  }

  use technical_assistance(needs = q25, offers = q26, areas = crime_prevention_areas)
}

section conclusion "Concluding questions" {
  use concluding(lessons = q27, challenges = q28, topic = "crime prevention")
}

# ---------------------------------------------------------------------------------------------
# Tests of the logic: every condition of the annex is seen both true and false. `qc test`
# runs them; `qc check` checks that their answers fit the questions.

test "I: after “Yes”, each follow-up is asked" {
  given {
    q1 = yes, q2a = yes, q2a_legislation = yes, q2b = yes, q2c = no, q4a = yes, q4g = yes
  }
  expect q1_steps asked
  expect q2a_adoption asked
  expect q2a_legislation required
  expect q2a_legislation_adoption asked
  expect q2_specify required
  expect q4a_agencies asked
  expect q4g_role asked
  expect valid
}

test "I: after “No”, no follow-up is asked" {
  given { q1 = no, q2a = no, q2b = no, q2c = no, q4a = no, q4g = no }
  expect q1_steps not asked
  expect q2a_adoption not asked
  expect q2a_legislation not asked
  expect q2a_legislation_adoption not asked
  expect q2_specify not asked
  expect q4a_agencies not asked
  expect q4g_role not asked
  expect valid
}

test "2: “If the answer to (b) and/or (c) above is Yes” asks for details after (c) alone" {
  given { q2b = no, q2c = yes }
  expect q2_specify asked
}

test "2 (a): the reference of the legislation follows its “Yes” only" {
  given { q2a = yes, q2a_legislation = no }
  expect q2a_legislation asked
  expect q2a_legislation_adoption not asked
}

test "II: after “Yes”, each follow-up is asked" {
  given {
    q7a = yes, q7b = yes, q7c = yes, q8 = yes, q9a = yes, q9b = yes, q9c = yes, q9d = yes,
    q9e = yes, q10 = yes, q11 = yes, q12a = yes, q12b = yes, q12c = yes, q12d = yes, q12e = yes,
    q13 = yes
  }
  expect q7a_specify asked
  expect q7b_specify asked
  expect q7c_specify asked
  expect q8_specify asked
  expect q9a_describe asked
  expect q9b_describe asked
  expect q9c_describe asked
  expect q9d_describe asked
  expect q9e_describe asked
  expect q10_specify asked
  expect q11_specify asked
  expect q12a_specify asked
  expect q12b_specify asked
  expect q12c_specify asked
  expect q12d_specify asked
  expect q12e_specify asked
  expect q13_specify asked
  expect valid
}

test "II: after “No”, no follow-up is asked" {
  given {
    q7a = no, q7b = no, q7c = no, q8 = no, q9a = no, q9b = no, q9c = no, q9d = no, q9e = no,
    q10 = no, q11 = no, q12a = no, q12b = no, q12c = no, q12d = no, q12e = no, q13 = no
  }
  expect q7a_specify not asked
  expect q8_specify not asked
  expect q9e_describe not asked
  expect q12e_specify not asked
  expect q13_specify not asked
  expect valid
}

test "III: after “Yes”, each follow-up is asked" {
  given {
    q15 = yes, q16a = yes, q16b = yes, q16c = yes, q17a = yes, q17b = yes, q17c = yes, q17d = yes,
    q17e = yes, q18a = yes, q18b = yes, q18c = yes, q18d = yes, q19 = yes, q20 = yes, q21a = yes,
    q21b = yes, q21c = yes
  }
  expect q15_costs asked
  expect q16a_describe asked
  expect q16b_describe asked
  expect q16c_describe asked
  expect q17a_describe asked
  expect q17b_describe asked
  expect q17c_describe asked
  expect q17d_describe asked
  expect q17e_describe asked
  expect q18a_describe asked
  expect q18b_describe asked
  expect q18c_describe asked
  expect q18d_describe asked
  expect q19_describe asked
  expect q20_describe asked
  expect q21a_describe asked
  expect q21b_describe asked
  expect q21c_describe asked
  expect valid
}

test "III: after “No”, no follow-up is asked" {
  given {
    q15 = no, q16a = no, q16b = no, q16c = no, q17a = no, q17b = no, q17c = no, q17d = no,
    q17e = no, q18a = no, q18b = no, q18c = no, q18d = no, q19 = no, q20 = no, q21a = no,
    q21b = no, q21c = no
  }
  expect q15_costs not asked
  expect q17e_describe not asked
  expect q21c_describe not asked
  expect valid
}

test "III: the costs of question 15 are a source and an amount" {
  given {
    q15 = yes, q15_funding_source = "National statistics office, research budget",
    q15_total_costs = 2300000 EUR
  }
  expect valid
}

test "IV: networking details follow “Yes”, the grid follows a need or an offer" {
  given { q22 = yes, q25 = yes, q26 = no }
  expect q22_specify asked
  expect ta_areas asked
  expect ta_areas.need asked
  expect ta_areas.provide not asked
}

test "IV: an offer alone opens the column of offers" {
  given { q22 = no, q25 = no, q26 = yes, ta_areas.social = [provide] }
  expect q22_specify not asked
  expect ta_areas.need not asked
  expect ta_areas.provide asked
  expect valid
}

test "IV: with neither a need nor an offer, the grid is not asked" {
  given { q25 = no, q26 = no }
  expect ta_areas not asked
}

test "IV: a need ticked without a “Yes” to question 25 is refused" {
  given { q25 = no, q26 = yes, ta_areas.social = [need] }
  expect problem V0109 at ta_areas
}

test "an answer to a follow-up that is not asked is refused" {
  given { q1 = no, q1_steps = "A national council coordinates the ministries." }
  expect problem V0107 at q1_steps
}
