# المنظمات: التسجيل، الموافقة، الأعضاء، الدعوات، سجل التدقيق؛ إعادة تعيين كلمة المرور؛
# تنبيهات الأجهزة الجديدة.

org-sign-up-title = سجّل منظمتك
org-sign-up-lead = يمكن للمنظمات التي تدعم المهاجرين واللاجئين استخدام Haven للحفاظ على أمان عملها. أخبرنا من أنتم؛ يراجع مسؤول الموقع كل طلب قبل أن يصبح استخدامه ممكنًا.
org-sign-up-name = اسم المنظمة
org-sign-up-email = البريد الإلكتروني
org-sign-up-email-hint = بريدك أنت: ستكون أول مسؤول عن المنظمة.
org-sign-up-listing = إدراجكم في الدليل (اختياري)
org-sign-up-listing-hint = إذا كانت منظمتك مدرجة من قبل في دليل Haven، فاخترها لتتمكن من إدارتها.
org-sign-up-listing-none = غير مدرجة، أو لست متأكدًا
org-sign-up-submit = قدّم الطلب
org-sign-up-done-title = تم استلام الطلب
org-sign-up-done-body = شكرًا لك. أرسلنا رسالة إلى العنوان الذي أدخلته. عندما يوافق مسؤول الموقع على منظمتك، ستصلك رسالة أخرى تشرح كيفية تسجيل الدخول.
org-error-name = أدخل اسم المنظمة (200 حرف على الأكثر).
org-error-email = أدخل عنوان بريد إلكتروني، مثل name@example.org.
org-error-listing = اختر إدراجًا من القائمة، أو لا شيء.
org-error-role = اختر دورًا.
org-error-already-member = هذا الشخص عضو من قبل.
org-error-last-admin = يجب أن يبقى للمنظمة مسؤول واحد على الأقل: اجعل شخصًا آخر مسؤولًا أولًا.

org-mail-received-subject = طلبك لاستخدام Haven
org-mail-received-body = استلمنا طلب { $organisation } لاستخدام Haven. سيراجعه مسؤول الموقع قريبًا، وستصلك رسالة عند البت فيه. إذا لم تقدّم هذا الطلب، يمكنك تجاهل هذه الرسالة.
org-mail-approved-subject = يمكن لـ { $organisation } الآن استخدام Haven
org-mail-approved-set-up-body = تمت الموافقة على { $organisation }. افتح هذا الرابط لاختيار كلمة المرور وإعداد العامل الثاني (يعمل مرة واحدة، لمدة 7 أيام):

    { $link }
org-mail-approved-sign-in-body = تمت الموافقة على { $organisation }. سجّل الدخول إلى Haven بحسابك الحالي للبدء:

    { $link }
org-mail-invited-subject = أنت مدعو للانضمام إلى { $organisation } على Haven
org-mail-invited-body = دُعيت للانضمام إلى { $organisation } على Haven بدور { $role }. افتح هذا الرابط للقبول (يعمل مرة واحدة، لمدة 7 أيام):

    { $link }

    إذا لم تكن تتوقع هذه الرسالة، يمكنك تجاهلها.

admin-orgs-title = منظمات بانتظار الموافقة
admin-orgs-none = لا توجد منظمة بانتظار الموافقة.
admin-orgs-signed-up = قُدّم الطلب في { $when }
admin-orgs-claims = تطالب بإدراج الدليل «{ $listing }»
admin-orgs-approve = موافقة
admin-orgs-reject = رفض

org-status-pending = بانتظار الموافقة
org-status-rejected = لم تتم الموافقة
org-status-approved = تمت الموافقة
org-your-role = دورك: { $role }
org-act = اعمل لهذه المنظمة
org-acting = أنت تعمل لهذه المنظمة.
org-back = العودة إلى المنظمة

org-members-title = الأعضاء
org-members-email = البريد الإلكتروني
org-members-role = الدور
org-members-change = تغيير
org-members-new-role = الدور الجديد
org-members-change-role = غيّر الدور
org-members-remove = إزالة
org-invite-title = ادعُ شخصًا
org-invite-submit = أرسل الدعوة

org-invitation-title = دعوة
org-invitation-lead = دُعيت للانضمام إلى { $organisation } بدور { $role }.
org-invitation-accept = قبول
org-invitation-sign-in-first = هذه الدعوة لحساب موجود من قبل. سجّل الدخول بذلك الحساب، ثم افتح الرابط من الرسالة مرة أخرى.

link-expired-title = لم يعد هذا الرابط يعمل
link-expired-body = استُخدم الرابط من قبل، أو انتهت صلاحيته. اطلب رابطًا جديدًا ممن أرسله.

confirm-title = أكّد هويتك
confirm-lead = يتطلب هذا التغيير أن تثبت هويتك مرة أخرى. أدخل كلمة المرور ورمزًا من تطبيق المصادقة.
confirm-submit = تأكيد
confirm-error-wrong = كلمة المرور أو الرمز غير صحيح.

org-audit-title = سجل التدقيق
org-audit-verified = سجل التدقيق مكتمل: كل مدخل يتطابق مع المدخل الذي قبله.
org-audit-broken = لا يمكن التحقق من سجل التدقيق: تم تغيير مدخل أو حذفه. أبلغ مسؤول الموقع.
org-audit-when = الوقت
org-audit-action = الإجراء
org-audit-actor = بواسطة (معرّف المستخدم)
org-audit-subject = بخصوص
org-audit-newer = مدخلات أحدث
org-audit-older = مدخلات أقدم

reset-link = هل نسيت كلمة المرور؟
reset-title = إعادة تعيين كلمة المرور
reset-lead = أدخل البريد الإلكتروني لحسابك. سنرسل رابطًا لاختيار كلمة مرور جديدة. ستظل بحاجة إلى تطبيق المصادقة (أو رمز استرداد) لتسجيل الدخول.
reset-submit = أرسل الرابط
reset-sent = إذا كان هناك حساب لهذا العنوان، فقد أرسلنا إليه رابطًا لاختيار كلمة مرور جديدة. يعمل الرابط لمدة ساعة واحدة.
reset-mail-subject = اختر كلمة مرور جديدة لـ Haven
reset-mail-body = طلب شخص ما إعادة تعيين كلمة مرور حسابك في Haven. إذا كنت أنت، فافتح هذا الرابط خلال ساعة واحدة:

    { $link }

    إذا لم تكن أنت، فتجاهل هذه الرسالة: تبقى كلمة مرورك كما هي.
reset-new-title = اختر كلمة مرور جديدة
reset-new-lead = بعد ذلك سيُطلب منك رمز من تطبيق المصادقة، أو رمز استرداد.
reset-new-submit = عيّن كلمة المرور الجديدة

mail-new-device-subject = تسجيل دخول جديد إلى حسابك
mail-new-device-body = تم تسجيل الدخول إلى حسابك في Haven من متصفح لم يُستخدم معه من قبل، في { $when }. إذا كنت أنت، فلا داعي لفعل أي شيء. وإن لم تكن أنت، فأعد تعيين كلمة المرور فورًا واخرج من جميع الأجهزة من صفحة حسابك.

# The organisation's own directory listing.
listing-title = إدراجك في الدليل
listing-none = ليس لمنظمتك إدراج في الدليل العام بعد. أنشئ إدراجًا، ثم أضف خدماتك.
listing-organisation-name = الاسم الظاهر في الدليل
listing-organisation-description = ما تقوم به منظمتك
listing-create = أنشئ الإدراج
listing-save = احفظ
listing-change = الاسم والوصف
listing-public-page = اعرض الصفحة العامة
listing-services = الخدمات
listing-no-services = لا توجد خدمات بعد.
listing-add-service = أضف خدمة
listing-edit-service = عدّل خدمة
listing-remove-service = احذف
listing-save-service = احفظ الخدمة
listing-service-name = اسم الخدمة
listing-service-description = الوصف
listing-service-needs = بمَ تساعد
listing-service-open-to = لمن هي متاحة
listing-service-languages = اللغات المتحدث بها
listing-service-phone = رقم الهاتف (اختياري)
listing-service-hours = ساعات العمل الأسبوعية (اختياري)
listing-service-opens = تفتح الساعة
listing-service-closes = تغلق الساعة
listing-service-place = مكانها: رمز بريدي أو بلدة في المملكة المتحدة
listing-service-place-hint = اتركه فارغًا لخدمة تُقدَّم عن بُعد فقط.
listing-service-confidential = موقع سري: لا تنشر العنوان أو النقطة الدقيقة أبدًا
listing-service-remote = تُقدَّم أيضًا عن بُعد (بالهاتف أو عبر الإنترنت)
listing-error-name = أدخل اسمًا (200 حرف على الأكثر).
listing-error-description = الوصف طويل جدًا (5000 حرف على الأكثر).
listing-error-organisation-description = صف ما تقوم به منظمتك (5000 حرف على الأكثر).
listing-error-needs = اختر شيئًا واحدًا على الأقل تساعد به الخدمة.
listing-error-open-to = اختر من القائمة لمن الخدمة متاحة.
listing-error-languages = اختر اللغات من القائمة.
listing-error-phone = أدخل رقم هاتف، مثل 0113 496 0000.
listing-error-hours = اختر الأيام، ووقت فتح قبل وقت الإغلاق (HH:MM).
listing-error-place = أدخل رمزًا بريديًا أو بلدة نعرفها في المملكة المتحدة، مثل LS1 4AP أو Keighley.
listing-error-place-or-remote = أدخل مكان الخدمة، أو اختر «تُقدَّم عن بُعد».
listing-error-confidential = يحتاج الموقع السري إلى رمز بريدي أو بلدة.
listing-error-form = تعذّرت قراءة النموذج. حاول مرة أخرى.

# API tokens.
token-title = رموز الواجهة البرمجية
token-lead = تتيح الرموز لأنظمتك قراءة إدراجك عبر الواجهة البرمجية لـ Haven (أرسله بعد "Authorization: Bearer"). يعمل كل رمز حتى تنتهي صلاحيته أو تلغيه.
token-none = لا توجد رموز بعد.
token-name = الاسم
token-scopes = ما يُسمح له به
token-expires = تنتهي صلاحيته في
token-last-used = آخر استخدام
token-never-used = لم يُستخدم
token-status = الحالة
token-revoke = ألغِ
token-unusable = ملغى أو منتهي الصلاحية
token-new = أنشئ رمزًا
token-days = تنتهي صلاحيته بعد (أيام)
token-create = أنشئ الرمز
token-created = رمزك الجديد
token-shown-once = انسخه الآن: يظهر هذه المرة فقط، ولا يحتفظ Haven بنسخة يمكنه عرضها مجددًا.
token-error-name = أدخل اسمًا للرمز (100 حرف على الأكثر).
token-error-scopes = اختر شيئًا واحدًا على الأقل يُسمح للرمز به.
token-error-days = اختر موعد انتهاء صلاحية الرمز (سنة على الأكثر).

org-invite-language = لغة الدعوة
org-error-language = اختر إحدى اللغات الموجودة في القائمة.
org-mail-rejected-subject = طلب { $organisation } لاستخدام Haven
org-mail-rejected-body = لم تتم الموافقة على طلب { $organisation } لاستخدام Haven. إذا كنت تعتقد أن هذا خطأ، فراسل مسؤولي Haven هذا. إذا لم تقدّم هذا الطلب، يمكنك تجاهل هذه الرسالة.
