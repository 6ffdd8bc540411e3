instrument markup { title "<script>window.pwned = 'title'</script>Markup is text" }
scale yes_no { yes "Yes <img src=x onerror=\"window.pwned = 'option'\">" no "No" }

section main "<b onmouseover=\"window.pwned = 'section'\">Texts</b>" {
  text "<iframe srcdoc=\"<script>parent.pwned = 'prose'</script>\"></iframe>"
  question q1 "<img src=x onerror=\"window.pwned = 'label'\"> {q2}" : yes_no {
    help "</script><script>window.pwned = 'help'</script>"
  }
  question q2 "Your words" : text
}
