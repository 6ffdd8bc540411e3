instrument respondent { title "A respondent fills in the form" version "1" }
scale yes_no { yes "Yes" no "No" }

section main "Programmes" {
  question strategy "Does your country have a crime prevention strategy?" : yes_no {
    followup strategy_title "If the answer is “Yes”, please give its title." : text on yes
  }
  question budget "What is its yearly budget?" : amount when strategy = yes
  question seat "In which country does the reply's office sit?" : country
  question staff "How many people work in crime prevention?" : integer min 0 {
    check staff <= 100000 else warning "A large number: please check it"
  }
  question areas "In which areas does it act?" : many of {
    schools "Schools"
    housing "Housing"
    policing "Policing"
  }
  question programmes "Please list its main programmes." : list max 5 {
    field name "Name" : text
    field year "Year it began" : integer min 1945
  }
}
