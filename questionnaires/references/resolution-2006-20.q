# Economic and Social Council resolution 2006/20 of 27 July 2006: the operative paragraphs that
# instruments built on it cite. The texts are those of the resolution (the footnote mark after
# "regular budget of the Office" is left out; the footnote reads: "This language does not
# provide a basis for an increase in the regular budget or requests for supplemental
# increases.").

document resolution_2006_20 "Economic and Social Council resolution 2006/20: United Nations "
    "standards and norms in crime prevention" {
  source "Economic and Social Council resolution 2006/20 of 27 July 2006"

  para 6 "Requests the United Nations Office on Drugs and Crime, within available extrabudgetary "
      "resources, not excluding the use of existing resources from the regular budget of the "
      "Office, "
      "to seek information from relevant intergovernmental and non-governmental organizations, "
      "within the mandate of the Commission on Crime Prevention and Criminal Justice, and from the "
      "institutes of the United Nations Crime Prevention and Criminal Justice Programme network "
      "and "
      "other relevant United Nations entities with respect to their capacity to provide technical "
      "assistance in relation to areas outlined in the information-gathering instrument;"

  para 7 "Invites Member States and other relevant entities to inform the United Nations Office on "
      "Drugs and Crime of existing centres and focal points in the area of crime prevention, if "
      "applicable, in order to facilitate networking and cooperation, also keeping in mind the "
      "invitation to that end contained in the annex to Economic and Social Council resolution "
      "2003/30;"
}
