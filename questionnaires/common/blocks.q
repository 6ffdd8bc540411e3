# Blocks that the information-gathering instruments share: who replies for a Member State, the
# technical-assistance grid and the concluding questions. Each instrument gives the last two
# their own item ids, areas and topic, and declares the headings of the report they feed
# (`assistance`, `practices`, `difficulties`):
#   respondent "Information on the reply" { use member_state_reply() }
#   use technical_assistance(needs = q25, offers = q26, areas = { row … })
#   use concluding(lessons = q27, challenges = q28, topic = "crime prevention")

# Who replies for a Member State: the State (its ISO 3166-1 alpha-3 code, chosen from the
# list of countries), the office that prepared the reply, its focal point and the date. The
# annexes leave this to the covering note; the office that sends an instrument needs it with
# each reply, and the report names each reply by it and groups replies by region.
block member_state_reply() {
  question country "Member State" : country
  question office "Ministry, department or office that prepared the reply" : text
  question focal_point "Focal point for the reply: name, title, telephone and e-mail address"
      : long_text
  question replied_on "Date of the reply" : date
}

# After "Does your country need technical assistance…" (`needs`) and "Is your country able to
# provide technical assistance…" (`offers`): the areas, each citing its paragraphs, against a
# column for each of the two questions, then the priority among them.
block technical_assistance(needs: item, offers: item, areas: rows) {
  grid ta_areas "If the answer to questions {needs} and/or {offers} is “Yes”, please mark the "
      "appropriate box(es) below:" when needs = yes or offers = yes {
    feeds assistance
    column need "Need technical assistance" when needs = yes
    column provide "Can provide technical assistance" when offers = yes

    rows areas
    row priority "Of the areas identified, is there a priority? If so, please identify." : long_text
  }
}

# The two closing questions: lessons learned and main challenges in `topic`, such as
# "crime prevention". They ask about national experience, not about a paragraph.
block concluding(lessons: item, challenges: item, topic: text) {
  question lessons "What are some of the main lessons your country has derived from national "
      "experience in implementing {topic} policies, strategies and programmes?" : long_text {
    help "Please describe."
    allow uncited
    feeds practices
  }

  question challenges "What are the main challenges in your country for delivering effective "
      "{topic}?" : long_text {
    help "Please describe."
    allow uncited
    feeds difficulties
  }
}
