# The United Nations Declaration on Crime and Public Security (General Assembly resolution
# 51/60, annex). The 2006/20 instrument names it; no paragraph of it is cited yet.

document crime_security_declaration "United Nations Declaration on Crime and Public Security" {
  source "General Assembly resolution 51/60 of 12 December 1996, annex"
}
