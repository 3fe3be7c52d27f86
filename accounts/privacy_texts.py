# ruff: noqa: E501  (prose: a paragraph is one line, as the text is shown)
"""The first version of the privacy notice and user agreement, in plain language.

Staff publish texts in the admin (LegalText); these are the starting drafts the
demo publishes and staff copy from. What it says must stay true of the code:
the fields are those of accounts/personal_data.py, the visibility rule is
ResearcherProfile.objects.matchable().
"""

PRIVACY_ZH = """\
本说明告诉您：我们收集您的哪些信息、为什么收集、谁能看到、保存多久，以及您怎样行使自己的权利。

一、我们收集什么
· 账号：姓名、电子邮箱、手机号码、界面语言、密码（只保存不可还原的摘要）。
· 研究人员：所在高校或院所、院系、职称、学位、学科、专长关键词、个人简介、论文/专利/项目等成果。
· 企业成员：所属企业和您在企业中的角色；企业的联系人、联系电话和联系邮箱。
· 您在平台上的活动：揭榜申请及方案、入企服务、成果、通知，以及登录记录（时间和 IP 地址，用于账号安全）。
· 您同意本说明和协议的记录：哪个版本、什么时间、从哪个 IP 地址。

二、为什么收集
· 为您匹配合适的企业需求或人才，并说明匹配理由；
· 办理揭榜、入企服务和成果认定；
· 区经信科技局统计和公布工作成效（只使用不含个人身份的汇总数字）；
· 保护账号安全。

三、谁能看到
· 研究人员的资料、成果、匹配分数和理由，只有在您另行同意“向企业展示”后，才会出现在企业看到的匹配名单、邀请和导出中。您可以随时撤回。
· 不同意展示，您仍然可以浏览需求和揭榜：揭榜时，您的申请只提供给这一家企业。
· 区经信科技局的工作人员为审核和统计需要可以查看；他们导出个人信息会被记录。
· 我们不会把您的信息出售或提供给其他第三方。

四、保存多久
· 账号使用期间一直保存。
· 账号长期未使用，我们会先提醒工作人员，再对个人信息做不可恢复的匿名化处理。
· 您申请删除账号后，我们在 15 天内删除或匿名化您的个人信息。已认定的入企服务和成果以匿名方式保留在统计中，公布过的数字不会因此改变。

五、您的权利和行使方式
· 查阅和复制：在“我的隐私”页面下载您的全部信息（JSON 或 Excel），或通过接口 me/export/。
· 更正：在“我的资料”和企业信息页面修改；名称和信用代码等已认证信息请联系工作人员更正。
· 撤回向企业展示的同意：在“我的资料”或“我的隐私”页面一键撤回，或通过接口 me/consents/。
· 删除：在“我的隐私”页面申请删除账号，或通过接口 me/deletion-request/。
· 如有疑问或投诉，请联系钱塘区经信科技局平台管理员。
"""

PRIVACY_EN = """\
This notice tells you what information we collect about you, why, who sees it, how long we keep it and how you use your rights.

1. What we collect
- Your account: name, e-mail address, phone number, language, password (only as a digest that cannot be turned back).
- Researchers: university or institute, department, title, degree, disciplines, expertise keywords, biography, and your papers, patents and projects.
- Company members: your company and your role in it; the company's contact person, phone and e-mail.
- What you do here: applications and proposals, placements, outcomes, notifications, and sign-in records (time and IP address, to keep your account safe).
- Your acceptance of this notice and the user agreement: which version, when, and from which IP address.

2. Why
- To match you with the company needs or researchers that fit, and to explain why;
- To run applications, placements and the recognition of outcomes;
- So that district staff can count and publish results (as totals that name nobody);
- To keep accounts safe.

3. Who sees it
- A researcher's profile, works, match score and its reasons appear in the match lists, invitations and exports companies see only if the researcher separately agrees to be shown to companies. You can withdraw that at any time.
- Without it you can still browse needs and apply: an application is shared with the one company you send it to.
- District staff see what they need to verify and to count; when they export personal information, it is recorded.
- We do not sell your information or give it to anyone else.

4. How long
- As long as you use your account.
- If an account is not used for a long time, staff are told first, then the personal information is anonymised so that it cannot be restored.
- If you ask us to delete your account, we delete or anonymise your personal information within 15 days. Verified placements and outcomes stay in the statistics without your name, so published figures do not change.

5. Your rights and how to use them
- See and copy: download everything we hold about you (JSON or Excel) from "My privacy", or from the API at me/export/.
- Correct: edit "My profile" and the company page; staff correct verified details such as a company's name and credit code.
- Withdraw being shown to companies: one button on "My profile" or "My privacy", or the API at me/consents/.
- Delete: ask for your account to be deleted on "My privacy", or through the API at me/deletion-request/.
- Questions or complaints: contact the platform administrators of the Qiantang district office.
"""

TERMS_ZH = """\
一、本平台由钱塘区经信科技局运营，用于企业发布技术需求、人才揭榜、入企服务和成果登记。
二、请如实填写信息；企业需通过统一社会信用代码认证，人才资料经工作人员审核。
三、揭榜方案仅提供给发布该需求的企业，企业不得将其用于本平台以外的目的。
四、请妥善保管账号和密码；发现异常请立即修改密码并联系管理员。
五、违反本协议的，平台可暂停或注销账号。
"""

TERMS_EN = """\
1. The district office of Qiantang runs this service for companies to publish R&D needs and for researchers to apply, serve in companies and report outcomes.
2. Give true information; companies are verified by their credit code and researchers' profiles are checked by staff.
3. A proposal goes only to the company that published the need; that company may not use it for anything outside this service.
4. Keep your password safe; if something looks wrong, change it and tell the administrators.
5. An account that breaks these terms may be suspended or closed.
"""

TEXTS = {"privacy": (PRIVACY_ZH, PRIVACY_EN), "terms": (TERMS_ZH, TERMS_EN)}
