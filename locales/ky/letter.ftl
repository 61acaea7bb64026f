# Letters from staff reach her only as a neutral knock, in her safe time; the
# words show when she taps "Open".
knock-text = Күндүн кеңеши: бөлмөнү күнүнө бир нече жолу 10–15 мүнөттөн желдетиңиз.
button-open = Ачуу
letter-from-staff =
    { $code } өтүнүчү боюнча борбордун адисинин билдирүүсү:

    { $text }
letter-closed = { $code } өтүнүчүңүз жабылды. Жардам дагы керек болсо, «Мени менен байланышыңыз» баскычын басыңыз.
letter-disappears = Бот бул билдирүүнү бир суткадан кийин чаттан өчүрөт. «Жашыруу» аны дароо жашырат.
