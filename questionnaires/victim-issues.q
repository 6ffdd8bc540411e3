# DRAFT. An information-gathering instrument on United Nations standards and norms related
# primarily to victim issues, as operative paragraph 8 of Economic and Social Council
# resolution 2006/20 asks for. It is not an adopted text: its questions are a working draft,
# shaped like the crime-prevention instrument and built from the same modules. Each question
# cites the paragraphs of the Declaration of Basic Principles of Justice for Victims of Crime
# and Abuse of Power that it asks about.

instrument victim_issues {
  title "Information-gathering instrument on United Nations standards and norms related primarily "
      "to victim issues (draft)"
  resolution "Prepared pursuant to Economic and Social Council resolution 2006/20, operative "
      "paragraph 8"
  version "0.1"
  language "en"
  status "draft: not adopted, for consultation"
}

from "common/scales.q" import yes_no, yes_partly_no
from "references/victims-declaration.q" import victims_declaration
from "common/blocks.q" import member_state_reply, technical_assistance, concluding
from "common/areas.q" import victim_issues_areas

# The headings of the report on the replies, after those of para. 10 of resolution 2006/20,
# under which `qc report` gathers the answers of the items that feed them.
report {
  heading difficulties "The difficulties encountered in the application of United Nations "
      "standards and norms related to victim issues"
  heading assistance "Ways in which technical assistance can be provided to overcome those "
      "difficulties"
  heading practices "Useful practices in addressing existing and emerging challenges in this field"
  heading suggestions "Suggestions from Member States of ways to further improve the existing "
      "standards and norms"
}

introduction {
  text "This draft questionnaire is designed to collect information on the application of the "
      "Declaration of Basic Principles of Justice for Victims of Crime and Abuse of Power (General "
      "Assembly resolution 40/34, annex). It follows the structure of the Declaration: victims of "
      "crime, with access to justice and fair treatment, restitution, compensation and assistance; "
      "and victims of abuse of power."
  text "It is not intended to produce a scorecard of how well States are doing. Replies will "
      "assist in identifying difficulties encountered, ways in which technical assistance can be "
      "provided, and useful practices."
}

# Who replies: the Member State, the office, its focal point and the date (not printed in the
# annex; see `common/blocks.q`). Not numbered, so the questions keep the annex's numbers.
respondent "Information on the reply" {
  use member_state_reply()
}

section structures "Structures and focal points" {
  question v1 "Does your country have a national policy, strategy or plan on victims of crime?"
      : yes_partly_no {
    cites victims_declaration 1, 2 and 3
    followup v1_title "If the answer is “Yes” or “Yes, in part”, please indicate its title and "
        "date of adoption." on yes, yes_in_part {
      field v1_name "Title" : text
      field v1_date "Date of adoption" : date
    }
  }

  question v2 "Is there a government body or focal point responsible for coordinating services for "
      "victims of crime?" : yes_no {
    cites victims_declaration 14 and 16
    followup v2_agency "If the answer is “Yes”, please give the name of the body or focal point."
        : text on yes
  }

  question v3 "Does the legislation of your country define who is a victim of crime, including "
      "family members or dependants of the direct victim?" : yes_no {
    cites victims_declaration 1 and 2
  }
}

section justice "Access to justice and fair treatment" {
  question v4 "In your country, are victims informed of their role and of the scope, timing and "
      "progress of the proceedings and of the disposition of their cases?" : yes_partly_no {
    cites victims_declaration 5 and 6
  }

  question v5 "Can the views and concerns of victims be presented and considered at appropriate "
      "stages of the proceedings where their personal interests are affected?" : yes_no {
    cites victims_declaration 6
  }

  question v6 "Are there measures to protect the privacy and safety of victims and of their "
      "families and witnesses?" : yes_partly_no {
    cites victims_declaration 6
    followup v6_describe "If the answer is “Yes” or “Yes, in part”, please describe briefly."
        : long_text on yes, yes_in_part
  }

  question v7 "Are informal mechanisms for the resolution of disputes, such as mediation or "
      "restorative justice, used to facilitate conciliation and redress for victims?" : yes_no {
    cites victims_declaration 7
  }
}

section restitution "Restitution" {
  question v8 "Does the legislation of your country provide for restitution to victims by "
      "offenders as an available sentencing option in criminal cases?" : yes_no {
    cites victims_declaration 8 and 9
  }

  question v9 "Where public officials have violated criminal laws, can victims receive restitution "
      "from the State?" : yes_no {
    cites victims_declaration 11
  }
}

section compensation "Compensation" {
  question v10 "Does your country have a national fund or scheme for compensation to victims when "
      "compensation is not fully available from the offender?" : yes_no {
    cites victims_declaration 12 and 13
    followup v10_fund "If the answer is “Yes”, please provide the source of funding and the total "
        "paid out in the latest year available." on yes {
      field v10_source "Source of funding" : text
      field v10_total "Total paid out" : amount
    }
  }
}

section assistance "Assistance to victims" {
  question v11 "Do victims receive the necessary material, medical, psychological and social "
      "assistance through governmental, voluntary or community-based means?" : yes_partly_no {
    cites victims_declaration 14 and 15
  }

  question v12 "Do police, justice, health and social service personnel receive training to "
      "sensitize them to the needs of victims?" : yes_no {
    cites victims_declaration 16
  }

  question v13 "Is attention given to victims who have special needs because of the nature of the "
      "harm inflicted or because of factors such as those listed in paragraph 3 of the Declaration?"
      : yes_no {
    cites victims_declaration 3 and 17
  }
}

section abuse_of_power "Victims of abuse of power" {
  question v14 "Does the national law of your country proscribe abuses of power and provide "
      "remedies to victims of such abuses?" : yes_no {
    cites victims_declaration 18 and 19
    followup v14_describe "If the answer is “Yes”, please describe the remedies briefly."
        : long_text on yes
  }

  question v15 "Does your country periodically review its legislation and practices to respond to "
      "changing circumstances regarding abuse of power?" : yes_no {
    cites victims_declaration 21
  }
}

section cooperation "International cooperation and technical assistance" {
  question v16 "Does your country cooperate with other States, through bilateral or multilateral "
      "agreements, on assistance to victims?" : yes_no {
    cites victims_declaration 20
  }

  question v17 "Does your country need technical assistance in any area of assistance to victims?"
      : yes_no {
    cites victims_declaration 14
  }

  question v18 "Is your country able to provide technical assistance in any area of assistance to "
      "victims?" : yes_no {
    cites victims_declaration 14
  }

  use technical_assistance(needs = v17, offers = v18, areas = victim_issues_areas)
}

section conclusion "Concluding questions" {
  use concluding(lessons = v19, challenges = v20, topic = "victim support")
}

# ---------------------------------------------------------------------------------------------
# Tests of the logic: every condition is seen both true and false. `qc test` runs them.

test "after “Yes”, each follow-up is asked" {
  given {
    v1 = yes, v2 = yes, v6 = yes, v10 = yes, v14 = yes, v17 = yes, v18 = yes,
    v1_name = "National Plan for Victims of Crime", v1_date = 2024-02-19, v10_total = 4250000 EUR
  }
  expect v1_title asked
  expect v2_agency required
  expect v6_describe asked
  expect v10_fund asked
  expect v14_describe asked
  expect ta_areas.need asked
  expect ta_areas.provide asked
  expect valid
}

test "“Yes, in part” asks for the plan and the description too" {
  given { v1 = yes_in_part, v6 = yes_in_part }
  expect v1_title asked
  expect v6_describe asked
}

test "after “No”, no follow-up is asked" {
  given { v1 = no, v2 = no, v6 = no, v10 = no, v14 = no, v17 = no, v18 = no }
  expect v1_title not asked
  expect v2_agency not asked
  expect v6_describe not asked
  expect v10_fund not asked
  expect v14_describe not asked
  expect ta_areas not asked
  expect valid
}

test "a need alone opens the column of needs" {
  given { v17 = yes, v18 = no, ta_areas.training = [need] }
  expect ta_areas.need asked
  expect ta_areas.provide not asked
  expect valid
}

test "an offer ticked without a “Yes” to the question on offers is refused" {
  given { v17 = yes, v18 = no, ta_areas.training = [need, provide] }
  expect problem V0109 at ta_areas
}
