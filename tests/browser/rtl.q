instrument rtl { title "Crime prevention" language "en" }
translation ar "rtl.ar.json"
scale yes_no { yes "Yes" no "No" }

section main "Strategy" {
  question strategy "Does your country have a crime prevention strategy?" : yes_no
  question title "What is its title?" : text when strategy = yes
  question seat "In which country?" : country
}
