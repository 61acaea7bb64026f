# The main menu, its sections, help and the way back.
menu-title = Главное меню. Чем мы можем помочь?
menu-danger = Нужна помощь сейчас
menu-help = Получить помощь
menu-shelter = Убежище (шелтер)
menu-covid = COVID-19: гигиена
menu-callback = Попросить связаться со мной
menu-my-request = Моя заявка
menu-erase = Удалить этот чат
menu-language = Язык · Тил
button-back = Назад
button-cancel = Отмена
button-skip = Пропустить
button-keep-code-word = Оставить прежнее кодовое слово
button-keep-description = Оставить прежнее описание
button-send = Отправить
button-change = Изменить
button-menu = Главное меню
help =
    Это бот кризисного центра «{ $center }» (Ош). Здесь можно узнать номера экстренных служб, прочитать о помощи центра и об убежище, советы о гигиене и попросить специалиста связаться с вами.
    Команды:
    /start, /menu — главное меню
    /language — выбрать язык
    /help — эта подсказка
