# الدليل العام: البحث والنتائج وصفحات الخدمات والمنظمات وصفحة "حول".

footer-sign-in = تسجيل الدخول (للمنظمات)

search-title = ابحث عن مساعدة
search-radius = ضمن مسافة
search-unit = وحدة المسافة
search-miles = ميل
search-did-you-mean = هل تقصد:
search-place-unknown = لم نعثر على مكان باسم «{ $place }». تحقق من الإملاء، أو جرّب رمزاً بريدياً أو بلدة قريبة.
search-your-location = موقعك
search-summary-near = { $count } خدمة قرب { $place }، وخدمات تعمل في كل مكان.
search-summary = { $count } خدمة في أنحاء المملكة المتحدة.
search-error-number = يجب أن تكون هذه القيمة رقماً.
search-error-text-long = بحثك طويل جداً: استخدم كلمات أقل.
search-error-coordinates = الموقع ليس خط عرض وخط طول صالحين.
search-error-radius = يجب أن تكون المسافة بين 0 و20000 كم.
search-error-need = هذا ليس من أنواع المساعدة التي يعرفها Haven.
search-error-eligibility = هذا ليس من أوضاع الهجرة التي يعرفها Haven.
search-error-scope = اختر محلي أو إقليمي أو وطني.
search-error-sort = رتّب حسب المسافة أو الصلة.
search-error-page = يجب أن يكون رقم الصفحة عدداً صحيحاً، 1 أو أكثر.
search-error-per-page = يجب أن يكون عدد النتائج في الصفحة بين 1 و100.

filter-heading = تصفية النتائج
filter-need = المساعدة في
filter-language = اللغات المتحدث بها
filter-eligibility = متاحة لـ
filter-scope = النطاق
filter-open-now = مفتوح الآن
filter-apply = تطبيق التصفية

pager-label = صفحات النتائج
pager-previous = الصفحة السابقة
pager-next = الصفحة التالية

need-legal-advice = مشورة قانونية في اللجوء والهجرة
need-legal-representation = الوصول إلى تمثيل قانوني
need-asylum-support = دعم طالبي اللجوء والعوز (طعام، مال، مأوى)
need-housing = السكن
need-health = الصحة والصحة النفسية
need-detention-support = دعم المحتجزين
need-esol = دروس اللغة الإنجليزية
need-education = التعليم والالتحاق بالجامعة
need-employment = العمل وإعادة التأهيل المهني
need-mentoring = الإرشاد والمصادقة
need-family-reunion = لمّ شمل الأسرة
need-resettlement = إعادة التوطين
need-hate-crime = دعم ضحايا جرائم الكراهية والتمييز
need-womens-groups = مجموعات النساء
need-youth-groups = مجموعات الشباب
need-children-families = الأطفال والعائلات
need-roma-communities = مجتمعات الروما
need-lgbtqi-asylum = طالبو اللجوء من مجتمع الميم
need-community-organising = التنظيم المجتمعي والقيادة
need-voter-registration = التسجيل للتصويت
need-campaigning = الحملات والمناصرة

eligibility-asylum-seeker = طالبو اللجوء
eligibility-refused-asylum-seeker = من رُفض طلب لجوئهم
eligibility-refugee = اللاجئون
eligibility-undocumented = من لا يحملون وثائق
eligibility-eu-settled-status = حاملو وضع الإقامة الأوروبي (الدائم أو المؤقت)
eligibility-unaccompanied-child = الأطفال غير المصحوبين
eligibility-anyone = الجميع

scope-local = محلي
scope-regional = إقليمي
scope-national = وطني

reach-distance-km = على بعد { $distance } كم
reach-distance-miles = على بعد { $distance } ميل
reach-area = تغطي منطقتك
reach-national = خدمة وطنية: تساعد الناس في أي مكان في المملكة المتحدة
reach-remote = عبر الهاتف أو الإنترنت: تساعد الناس في أي مكان

card-helps-with = تساعد في:
card-languages = اللغات:
card-phone = الهاتف:
card-hours = مفتوح:
card-open-now = مفتوح الآن
card-closed-now = مغلق الآن
card-verified = تم التحقق من التفاصيل في
hours-line = { $days }، من { $opens } إلى { $closes }
day-0 = الاثنين
day-1 = الثلاثاء
day-2 = الأربعاء
day-3 = الخميس
day-4 = الجمعة
day-5 = السبت
day-6 = الأحد
place-confidential = العنوان محجوب حفاظاً على السلامة: اتصل لترتيب زيارة

service-run-by = تديرها
service-for = متاحة لـ:
service-where = المكان:
service-print = اطبع هذه الصفحة
organisation-services = الخدمات

about-title = حول Haven وبياناته
about-lead = Haven دليل للمنظمات التي تساعد المهاجرين واللاجئين في المملكة المتحدة، يديره القطاع ومن أجله. يعمل بلا تتبع: لا ملفات تعريف ارتباط إلا التي تختارها (اللغة) وتسجيل دخول المنظمات.
about-demo = يعمل هذا الموقع ببيانات تجريبية: المنظمات حقيقية، لكن تفاصيل خدماتها وأرقام الهواتف وساعات العمل هنا أمثلة.
about-sources = مصادر البيانات وتراخيصها

api-error-place = هذا المكان غير موجود في قائمة Haven للرموز البريدية والبلدات في المملكة المتحدة.
api-error-boolean = استخدم true أو false.
api-error-full-minimal = اطلب full أو minimal، وليس كليهما.

admin-reports-title = بلاغات عن القوائم
admin-reports-none = لا توجد بلاغات بانتظار المراجعة.
admin-reports-received = وصل في { $when }
admin-reports-resolve = تم التحقق والمعالجة

search-use-my-location = استخدم موقعي
search-location-failed = لم نتمكن من تحديد موقعك. اكتب رمزاً بريدياً أو اسم بلدة بدلاً من ذلك.
