# Blocks that the information-gathering instruments share: the technical-assistance grid and
# the concluding questions. Each instrument gives them its own item ids, areas and topic:
#   use technical_assistance(needs = q25, offers = q26, areas = { row … })
#   use concluding(lessons = q27, challenges = q28, topic = "crime prevention")

# After "Does your country need technical assistance…" (`needs`) and "Is your country able to
# provide technical assistance…" (`offers`): the areas, each citing its paragraphs, against a
# column for each of the two questions, then the priority among them.
block technical_assistance(needs: item, offers: item, areas: rows) {
  grid ta_areas "If the answer to questions {needs} and/or {offers} is “Yes”, please mark the appropriate box(es) below:"
    when needs = yes or offers = yes
  {
    column need "Need technical assistance" when needs = yes
    column provide "Can provide technical assistance" when offers = yes

    rows areas
    row priority "Of the areas identified, is there a priority? If so, please identify." : long_text
  }
}

# The two closing questions: lessons learned and main challenges in `topic`, such as
# "crime prevention". They ask about national experience, not about a paragraph.
block concluding(lessons: item, challenges: item, topic: text) {
  question lessons "What are some of the main lessons your country has derived from national experience in implementing {topic} policies, strategies and programmes?" : long_text {
    help "Please describe."
    allow uncited
  }

  question challenges "What are the main challenges in your country for delivering effective {topic}?" : long_text {
    help "Please describe."
    allow uncited
  }
}
