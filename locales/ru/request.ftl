# The callback request: the wizard, "My request" and the confirmation.
wizard-topic = О чём вы хотите поговорить со специалистом?
wizard-urgency = Насколько это срочно?
urgency-can-wait = Я в безопасности и могу подождать
urgency-within-day = Мне нужна помощь в течение дня
urgency-danger-now = Мне угрожает опасность сейчас
wizard-contact = Как с вами связаться?
contact-call = Позвоните мне
contact-telegram = Напишите мне здесь, в Telegram
wizard-phone =
    Напишите номер телефона, например 0700 123 456 или +7 916 123 45 67. Можно также отправить контакт.
    Бот сразу удалит ваше сообщение из чата. Номер увидит только специалист, который вам позвонит.
wizard-phone-not-a-number = Это не похоже на номер телефона. Напишите только цифры, например 0700 123 456.
wizard-phone-implausible = Такого номера не бывает. Проверьте цифры, например: 0700 123 456, +996 700 123 456 или +7 916 123 45 67.
wizard-safe-time = Когда с вами безопасно связаться?
time-morning = Утром
time-afternoon = Днём
time-evening = Вечером
# A choice of when to contact her, with its hours: "Evening (17:00–21:00)".
time-window = { $label } ({ $from }–{ $to })
time-any = В любое время
wizard-if-other = Если ответит не вы, что сделать специалисту?
if-other-hang-up = Положить трубку
if-other-wrong-number = Сказать, что ошиблись номером
if-other-say-center = Можно сказать, что это «{ $center }»
wizard-code-word =
    Можно задать кодовое слово: специалист спросит его, прежде чем говорить о важном. Напишите слово (до { $max ->
        [one] { $max } символа
        [few] { $max } символов
        [many] { $max } символов
       *[other] { $max } символа
    }) или нажмите «Пропустить».
    Бот сразу удалит ваше сообщение из чата.
wizard-code-word-invalid = Кодовое слово — это одно короткое слово, не длиннее { $max ->
        [one] { $max } символа
        [few] { $max } символов
        [many] { $max } символов
       *[other] { $max } символа
    }. Напишите его ещё раз или нажмите «Пропустить».
wizard-description =
    Если хотите, коротко опишите, что случилось (до { $max ->
        [one] { $max } символа
        [few] { $max } символов
        [many] { $max } символов
       *[other] { $max } символа
    }). Это прочитает только специалист, который возьмёт вашу заявку. Можно пропустить.
    Бот сразу удалит ваше сообщение из чата.
wizard-description-too-long = Слишком длинно: { $count ->
        [one] { $count } символ
        [few] { $count } символа
        [many] { $count } символов
       *[other] { $count } символа
    }, а можно не больше { $max }. Сократите, пожалуйста, и отправьте ещё раз.
wizard-use-buttons = Пожалуйста, выберите ответ кнопкой ниже.
wizard-summary = Проверьте, пожалуйста:
summary-topic = Тема: { $value }
summary-urgency = Срочность: { $value }
summary-contact = Связь: { $value }
summary-phone = Телефон: { $phone }
summary-phone-not-own = (номер из контакта, не с вашего аккаунта)
summary-safe-time = Когда безопасно: { $value }
summary-if-other = Если ответит не вы: { $value }
summary-code-word-set = Кодовое слово: задано
summary-code-word-none = Кодовое слово: нет
summary-description-added = Описание: добавлено
summary-description-none = Описание: нет
wizard-change = Что изменить?
change-topic = Тему
change-urgency = Срочность
change-contact = Способ связи
change-phone = Номер телефона
change-safe-time = Время
change-if-other = Если ответит не вы
change-code-word = Кодовое слово
change-description = Описание
wizard-already-sent = Ваша заявка уже отправлена.
wizard-cancelled = Заявка отменена, ничего из неё не сохранено.
my-request-title = Заявка { $code }
my-request-waiting = { $ahead ->
        [0] Вы первая в очереди.
        [one] Перед вами { $ahead } заявка.
        [few] Перед вами { $ahead } заявки.
        [many] Перед вами { $ahead } заявок.
       *[other] Перед вами { $ahead } заявки.
    }
my-request-claimed = Специалист уже взял вашу заявку и скоро свяжется с вами.
my-request-closed = Заявка закрыта.
my-request-cancelled = Заявка отменена.
my-request-unreachable = Специалист несколько раз не смог до вас дозвониться, и заявка закрыта. Если помощь ещё нужна, попросите связаться снова.
my-request-none = У вас нет заявок. Чтобы специалист связался с вами, нажмите «Попросить связаться со мной».
my-request-code-hint = Удалили чат, но оставили заявку? Напишите здесь её номер.
button-cancel-request = Отменить заявку
button-view-request = Посмотреть заявку
button-change-request = Изменить заявку
open-request-exists = У вас уже есть заявка { $code }. Её можно посмотреть, изменить или отменить.
cancel-request-confirm = Отменить заявку { $code }? Тогда специалист не будет с вами связываться.
button-confirm-cancel = Да, отменить
button-keep-request = Нет, оставить
request-cancelled-note = Заявка отменена.
sent-thanks = Спасибо, мы получили вашу заявку. Её номер: { $code }.
sent-changed = Заявка { $code } изменена.
expect-today = Специалист свяжется с вами сегодня до { $closes }.
expect-opens = Специалист свяжется с вами, когда центр откроется: { $day ->
        [tomorrow] завтра
        [mon] в понедельник
        [tue] во вторник
        [wed] в среду
        [thu] в четверг
        [fri] в пятницу
        [sat] в субботу
       *[sun] в воскресенье
    } в { $at }.
expect-soon = Специалист свяжется с вами, как только сможет.
expect-meanwhile = Если до этого вам будет угрожать опасность, звоните 102 или 112.
sent-we-call = Мы позвоним на номер { $phone }.
sent-we-write = Мы напишем вам здесь, в этом боте.
send-blocked = Сейчас отправить заявку через бот нельзя. Если вам угрожает опасность, звоните 102 (милиция) или 112.
starts-limit = Сегодня вы уже несколько раз начинали заявку. Попробуйте завтра или позвоните в центр. Если вам угрожает опасность, звоните 102 (милиция) или 112.
queue-full = Сейчас заявок очень много, и новую бот принять не может. Попробуйте позже или позвоните в центр. Если вам угрожает опасность, звоните 102 (милиция) или 112.
