# The Guidelines for the Prevention of Crime (Economic and Social Council resolution 2002/13,
# annex): the paragraphs that the annex of resolution 2006/20 quotes, with the headings it
# prints above them. The texts are those quoted in resolution 2006/20. The paragraphs it does
# not quote (3-5, 12, 14-16, 24 and 28) are not declared yet: declare them, with their official
# text or marked `pending`, before an instrument cites them.

document guidelines "Guidelines for the Prevention of Crime" {
  source "Economic and Social Council resolution 2002/13 of 24 July 2002, annex"

  para 1 "There is clear evidence that well-planned crime prevention strategies not only prevent "
      "crime and victimization, but also promote community safety and contribute to the "
      "sustainable "
      "development of countries. Effective, responsible crime prevention enhances the quality of "
      "life of all citizens. It has long-term benefits in terms of reducing the costs associated "
      "with the formal criminal justice system, as well as other social costs that result from "
      "crime. Crime prevention offers opportunities for a humane and more cost-effective approach "
      "to "
      "the problems of crime."

  para 2 "It is the responsibility of all levels of government [national, regional and local] to "
      "create, maintain and promote a context within which relevant governmental institutions and "
      "all segments of civil society, including the corporate sector, can better play their part "
      "in "
      "preventing crime."

  para 6 "Crime prevention encompasses a wide range of approaches, including those which:" {
    (a) "Promote the well-being of people and encourage pro-social behaviour through social, "
        "economic, health and educational measures, with a particular emphasis on children and "
        "youth, and focus on the risk and protective factors associated with crime and "
        "victimization "
        "(prevention through social development, or social crime prevention);"
    (b) "Change the conditions in neighbourhoods that influence offending, victimization and "
        "insecurity that results from crime by building on the initiatives, expertise and "
        "commitment "
        "of community members (locally based crime prevention);"
    (c) "Prevent the occurrence of crimes by reducing opportunities, increasing risks of being "
        "apprehended and minimizing benefits, including through environmental design, and by "
        "providing assistance and information to potential and actual victims (situational crime "
        "prevention);"
    (d) "Prevent recidivism by assisting in the social reintegration of offenders and other "
        "preventive mechanisms (reintegration programmes)."
  }

  heading "Government leadership"
  para 7 "All levels of government should play a leadership role in developing effective and "
      "humane crime prevention strategies and in creating and maintaining institutional frameworks "
      "for their implementation and review."

  heading "Socio-economic development and inclusion"
  para 8 "Crime prevention considerations should be integrated into all relevant social and "
      "economic policies and programmes, including those addressing employment, education, health, "
      "housing and urban planning, poverty, social marginalization and exclusion. Particular "
      "emphasis should be placed on communities, families, children and youth at risk."

  heading "Cooperation/partnerships"
  para 9 "Cooperation/partnerships should be an integral part of effective crime prevention, given "
      "the wide-ranging nature of the causes of crime and the skills and responsibilities required "
      "to address them. This includes partnerships working across ministries and between "
      "authorities, community organizations, non-governmental organizations, the business sector "
      "and "
      "private citizens."

  heading "Sustainability/accountability"
  para 10 "Crime prevention requires adequate resources, including funding for structures and "
      "activities, in order to be sustained. There should be clear accountability for funding, "
      "implementation and evaluation and for the achievement of planned results."

  heading "Knowledge base"
  para 11 "Crime prevention strategies, policies, programmes and actions should be based on a "
      "broad, multidisciplinary foundation of knowledge about crime problems, their multiple "
      "causes "
      "and promising and proven practices."

  heading "Interdependency"
  para 13 "National crime prevention diagnoses and strategies should, where appropriate, take "
      "account of links between local criminal problems and international organized crime."

  heading "Government structures"
  para 17 "Governments should include prevention as a permanent part of their structures and "
      "programmes for controlling crime, ensuring that clear responsibilities and goals exist "
      "within "
      "government for the organization of crime prevention, by, inter alia:" {
    (a) "Establishing centres or focal points with expertise and resources;"
    (b) "Establishing a crime prevention plan with clear priorities and targets;"
    (c) "Establishing linkages and coordination between relevant government agencies or "
        "departments;"
    (d) "Fostering partnerships with non-governmental organizations, the business, private and "
        "professional sectors and the community;"
    (e) "Seeking the active participation of the public in crime prevention by informing it of the "
        "need for and means of action and its role."
  }

  heading "Training and capacity-building"
  para 18 "Governments should support the development of crime prevention skills by:" {
    (a) "Providing professional development for senior officials in relevant agencies;"
    (b) "Encouraging universities, colleges and other relevant educational agencies to offer basic "
        "and advanced courses, including in collaboration with practitioners;"
    (c) "Working with the educational and professional sectors to develop certification and "
        "professional qualifications;"
    (d) "Promoting the capacity of communities to develop and respond to their needs."
  }

  heading "Supporting partnerships"
  para 19 "Governments and all segments of civil society should support the principle of "
      "partnership, where appropriate, including:" {
    (a) "Advancing knowledge of the importance of this principle and the components of successful "
        "partnerships, including the need for all of the partners to have clear and transparent "
        "roles;"
    (b) "Fostering the formation of partnerships at different levels and across sectors;"
    (c) "Facilitating the efficient operation of partnerships."
  }

  heading "Sustainability"
  para 20 "Governments and other funding bodies should strive to achieve sustainability of "
      "demonstrably effective crime prevention programmes and initiatives through, inter alia:" {
    (a) "Reviewing resource allocation to establish and maintain an appropriate balance between "
        "crime prevention and the criminal justice and other systems, to be more effective in "
        "preventing crime and victimization;"
    (b) "Establishing clear accountability for funding, programming and coordinating crime "
        "prevention initiatives;"
    (c) "Encouraging community involvement in sustainability."
  }

  para 21 "As appropriate, Governments and/or civil society should facilitate knowledge-based "
      "crime prevention by, inter alia:" {
    (a) "Providing the information necessary for communities to address crime problems;"
    (b) "Supporting the generation of useful and practically applicable knowledge that is "
        "scientifically reliable and valid;"
    (c) "Supporting the organization and synthesis of knowledge and identifying and addressing "
        "gaps in the knowledge base;"
    (d) "Sharing that knowledge, as appropriate, among, inter alia, researchers, policymakers, "
        "educators, practitioners from other relevant sectors and the wider community;"
    (e) "Applying this knowledge in replicating successful interventions, developing new "
        "initiatives and anticipating new crime problems and prevention opportunities;"
    (f) "Establishing data systems to help manage crime prevention more cost-effectively, "
        "including by conducting regular surveys of victimization and offending;"
    (g) "Promoting the application of those data in order to reduce repeat victimization, "
        "persistent offending and areas with a high level of crime."
  }

  heading "Planning intervention"
  para 22 "Those planning interventions should promote a process that includes:" {
    (a) "A systematic analysis of crime problems, their causes, risk factors and consequences, in "
        "particular at the local level;"
    (b) "A plan that draws on the most appropriate approach and adapts interventions to the "
        "specific local problem and context;"
    (c) "An implementation plan to deliver appropriate interventions that are efficient, effective "
        "and sustainable;"
    (d) "Mobilizing entities that are able to tackle causes;"
    (e) "Monitoring and evaluation."
  }

  heading "Support evaluation"
  para 23 "Governments, other funding bodies and those involved in programme development and "
      "delivery should:" {
    (a) "Undertake short- and longer-term evaluation to test rigorously what works, where and why;"
    (b) "Undertake cost-benefit analyses;"
    (c) "Assess the extent to which action results in a reduction in levels of crime and "
        "victimization, in the seriousness of crime and in fear of crime;"
    (d) "Systematically assess the outcomes and unintended consequences, both positive and "
        "negative, of action, such as a decrease in crime rates or the stigmatization of "
        "individuals "
        "and/or communities."
  }

  heading "Social development"
  para 25 "Governments should address the risk factors of crime and victimization by:" {
    (a) "Promoting protective factors through comprehensive and non-stigmatizing social and "
        "economic development programmes, including health, education, housing and employment;"
    (b) "Promoting activities that redress marginalization and exclusion;"
    (c) "Promoting positive conflict resolution;"
    (d) "Using education and public awareness strategies to foster a culture of lawfulness and "
        "tolerance while respecting cultural identities."
  }

  heading "Situational prevention"
  para 26 "Governments and civil society, including, where appropriate, the corporate sector, "
      "should support the development of situational crime prevention programmes by, inter alia:" {
    (a) "Improved environmental design;"
    (b) "Appropriate methods of surveillance that are sensitive to the right to privacy;"
    (c) "Encouraging the design of consumer goods to make them more resistant to crime;"
    (d) "Target “hardening” without impinging upon the quality of the built environment or "
        "limiting free access to public space;"
    (e) "Implementing strategies to prevent repeat victimization."
  }

  heading "Prevention of organized crime"
  para 27 "Governments and civil society should endeavour to analyse and address the links between "
      "transnational organized crime and national and local crime problems by, inter alia:" {
    (a) "Reducing existing and future opportunities for organized criminal groups to participate "
        "in lawful markets with the proceeds of crime, through appropriate legislative, "
        "administrative or other measures;"
    (b) "Developing measures to prevent the misuse by organized criminal groups of tender "
        "procedures conducted by public authorities and of subsidies and licences granted by "
        "public "
        "authorities for commercial activity;"
    (c) "Designing crime prevention strategies, where appropriate, to protect socially "
        "marginalized groups, especially women and children, who are vulnerable to the action of "
        "organized criminal groups, including trafficking in persons and smuggling of migrants."
  }

  heading "Technical assistance"
  para 29 "Member States and relevant international funding organizations should provide financial "
      "and technical assistance, including capacity-building and training, to developing countries "
      "and countries with economies in transition, communities and other relevant organizations "
      "for "
      "the implementation of effective crime prevention and community safety strategies at the "
      "regional, national and local levels. In that context, special attention should be given to "
      "research and action on crime prevention through social development."

  heading "Networking"
  para 30 "Member States should strengthen or establish international, regional and national crime "
      "prevention networks with a view to exchanging proven and promising practices, identifying "
      "elements of their transferability and making such knowledge available to communities "
      "throughout the world."

  heading "Links between transnational and local crime"
  para 31 "Member States should collaborate to analyse and address the links between transnational "
      "organized crime and national and local crime problems."

  heading "Prioritizing crime prevention"
  para 32 "The Centre for International Crime Prevention of the Office for Drug Control and Crime "
      "Prevention of the Secretariat, the United Nations Crime Prevention and Criminal Justice "
      "Programme network of affiliated and associated institutes and other relevant United Nations "
      "entities should include in their priorities crime prevention as set out in these "
      "Guidelines, "
      "set up a coordination mechanism and establish a roster of experts to undertake needs "
      "assessment and to provide technical advice."

  heading "Dissemination"
  para 33 "Relevant United Nations bodies and other organizations should cooperate to produce "
      "crime prevention information in as many languages as possible, using both print and "
      "electronic media."
}
