# Letters from staff reach her only as a neutral knock, in her safe time; the
# words show when she taps "Open".
knock-text = Совет дня: проветривайте комнату 10–15 минут несколько раз в день.
button-open = Открыть
letter-from-staff =
    Сообщение специалиста центра по заявке { $code }:

    { $text }
letter-closed = Ваша заявка { $code } закрыта. Если помощь снова нужна, нажмите «Попросить связаться со мной».
letter-disappears = Бот удалит это сообщение из чата через сутки. «Скрыть» убирает его сразу.
