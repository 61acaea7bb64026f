# The center's configured details, and answers to anything unexpected.
# The center's name as it stands in quotes; `[center.name]` in the configuration overrides it.
center-name = Ак-Журок
center-phones = Телефон центра «Ак-Журок»: { $phones }
center-hours = Часы работы: { $hours }
unknown-command = Такой команды нет. Вот что можно сделать сейчас:
unexpected-media = Бот отвечает только на кнопки и команды. Фото, стикеры, голосовые, файлы, контакты и геопозицию он не открывает и не сохраняет. Пожалуйста, нажмите одну из кнопок ниже.
free-text = Бот не читает здесь сообщения и ничего из них не сохраняет. Чтобы поговорить со специалистом, выберите «Попросить связаться со мной».
stale-button = Эта кнопка устарела. Вот главное меню.
apology = Извините, что-то пошло не так. Попробуйте ещё раз — вот главное меню.
contact-policy-bot = Центр связывается с людьми только через этот бот.
contact-policy-numbers = Центр пишет только через этот бот и звонит только с номеров: { $numbers }.
center-working-hours = Специалисты на связи: { $hours }
