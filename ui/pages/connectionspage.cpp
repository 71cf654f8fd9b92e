#include "pages/connectionspage.h"

#include "connectors/connectioncontroller.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
QString name(const QString &base, TargetPlatform platform)
{
    return base + u'_' + TargetPlatforms::key(platform);
}
} // namespace

ConnectionsPage::ConnectionsPage(ConnectionController *connections, QWidget *parent)
    : QWizardPage(parent), m_connections(connections)
{
    setObjectName(QStringLiteral("page_connections"));
    setTitle(tr("Connections"));
    setSubTitle(tr("Connect Stagecoach to Mailchimp and to the target with their API keys. You can also work from export "
                   "files alone and come back here later."));

    auto *outer = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Keys are kept in the system keychain only, never in the project file. "
                                "“Test connection” asks the platform whose account a key belongs to."),
                             this);
    intro->setObjectName(QStringLiteral("connectionsIntro"));
    intro->setWordWrap(true);
    outer->addWidget(intro);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("connectionsError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("QLabel { color: #a01010; }"));
    m_error->hide();
    outer->addWidget(m_error);

    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("connectionsScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // panels follow the page's width
    auto *content = new QWidget(scroll);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    for (const TargetPlatform p : kAllTargetPlatforms) {
        Panel panel = makePanel(p);
        panel.box->setParent(content);
        layout->addWidget(panel.box);
        m_panels.insert(p, panel);
    }
    layout->addStretch();
    scroll->setWidget(content);
    outer->addWidget(scroll, 1);

    connect(connections, &ConnectionController::keyStateChanged, this, [this](const QString &key) {
        if (const auto p = TargetPlatforms::fromKey(key))
            showKeyState(*p);
    });
    connect(connections, &ConnectionController::statusChanged, this, [this](const QString &key) {
        if (const auto p = TargetPlatforms::fromKey(key))
            showStatus(*p);
    });
    connect(connections, &ConnectionController::platformsChanged, this, &ConnectionsPage::showPlatforms);
    connect(connections, &ConnectionController::failed, this, [this](const Error &error) {
        m_error->setText(error.toString());
        m_error->show();
    });
    showPlatforms();
}

ConnectionsPage::Panel ConnectionsPage::makePanel(TargetPlatform platform)
{
    Panel p;
    const QString title = platform == TargetPlatform::Mailchimp ? tr("%1 (the source)").arg(TargetPlatforms::displayName(platform))
                                                                : tr("%1 (the target)").arg(TargetPlatforms::displayName(platform));
    p.box = new QGroupBox(title);
    p.box->setObjectName(name(u"connectionBox"_qs, platform));
    auto *form = new QFormLayout(p.box);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    auto *keyRow = new QHBoxLayout;
    p.key = new QLineEdit(p.box);
    p.key->setObjectName(name(u"apiKeyEdit"_qs, platform));
    p.key->setEchoMode(QLineEdit::Password);
    p.key->setClearButtonEnabled(true);
    p.key->setMinimumWidth(200);
    p.key->setPlaceholderText(tr("Paste the API key"));
    keyRow->addWidget(p.key, 1);
    p.show = new QPushButton(tr("Show"), p.box);
    p.show->setObjectName(name(u"showKeyButton"_qs, platform));
    p.show->setCheckable(true);
    keyRow->addWidget(p.show);
    form->addRow(tr("API key:"), keyRow);

    if (platform == TargetPlatform::Mailchimp) {
        p.dataCenter = new QLabel(p.box);
        p.dataCenter->setObjectName(name(u"dataCenterLabel"_qs, platform));
        form->addRow(QString(), p.dataCenter);
        connect(p.key, &QLineEdit::textChanged, p.dataCenter,
                [label = p.dataCenter](const QString &text) { label->setText(ConnectionController::dataCenterText(text)); });
    }
    p.keyState = new QLabel(p.box);
    p.keyState->setObjectName(name(u"keyStateLabel"_qs, platform));
    form->addRow(QString(), p.keyState);

    auto *buttons = new QHBoxLayout;
    auto *save = new QPushButton(tr("Save key"), p.box);
    save->setObjectName(name(u"saveKeyButton"_qs, platform));
    auto *forget = new QPushButton(tr("Forget key"), p.box);
    forget->setObjectName(name(u"forgetKeyButton"_qs, platform));
    p.test = new QPushButton(tr("Test connection"), p.box);
    p.test->setObjectName(name(u"testConnectionButton"_qs, platform));
    // The demo uses the sandbox's keys: nothing to keep in the keychain.
    save->setEnabled(!m_connections->usesDemoSandbox());
    forget->setEnabled(!m_connections->usesDemoSandbox());
    buttons->addWidget(save);
    buttons->addWidget(forget);
    buttons->addStretch();
    buttons->addWidget(p.test);
    form->addRow(buttons);

    p.status = new QLabel(p.box);
    p.status->setObjectName(name(u"connectionStatus"_qs, platform));
    p.status->setWordWrap(true);
    p.status->setTextFormat(Qt::RichText);
    p.status->hide();
    form->addRow(p.status);

    p.advanced = new QGroupBox(tr("Advanced: another API address (the local sandbox)"), p.box);
    p.advanced->setObjectName(name(u"advancedBox"_qs, platform));
    p.advanced->setCheckable(true);
    p.advanced->setFlat(true); // no empty frame while unticked
    auto *advancedForm = new QFormLayout(p.advanced);
    p.baseUrl = new QLineEdit(p.advanced);
    p.baseUrl->setObjectName(name(u"baseUrlEdit"_qs, platform));
    p.baseUrl->setPlaceholderText(platform == TargetPlatform::Mailchimp ? tr("e.g. http://127.0.0.1:8080/3.0")
                                  : platform == TargetPlatform::Brevo   ? tr("e.g. http://127.0.0.1:8081/v3")
                                                                        : tr("e.g. http://127.0.0.1:8082/api"));
    advancedForm->addRow(tr("API address:"), p.baseUrl);
    const QString saved = m_connections->baseUrl(platform).toString();
    p.baseUrl->setText(saved);
    p.advanced->setChecked(!saved.isEmpty());
    if (m_connections->usesDemoSandbox()) {
        // The demo's addresses are the in-app sandbox's, new with every start.
        p.advanced->setEnabled(false);
        p.advanced->setToolTip(tr("The demo project rehearses against the sandbox inside Stagecoach."));
    }
    p.baseUrl->setVisible(!saved.isEmpty());
    advancedForm->labelForField(p.baseUrl)->setVisible(!saved.isEmpty());
    form->addRow(p.advanced);

    QLineEdit *keyEdit = p.key;
    QLineEdit *urlEdit = p.baseUrl;
    QPushButton *showButton = p.show;
    connect(p.advanced, &QGroupBox::toggled, this, [this, platform, urlEdit, advancedForm](bool on) {
        urlEdit->setVisible(on);
        advancedForm->labelForField(urlEdit)->setVisible(on);
        // Unticking goes back to the platform itself.
        if (!on && !urlEdit->text().isEmpty()) {
            urlEdit->clear();
            m_connections->setBaseUrl(platform, QString());
        }
    });
    connect(urlEdit, &QLineEdit::editingFinished, this, [this, platform, urlEdit] {
        if (m_connections->setBaseUrl(platform, urlEdit->text()))
            m_error->hide();
    });
    connect(showButton, &QPushButton::toggled, this, [this, platform, keyEdit, showButton](bool on) {
        showButton->setText(on ? tr("Hide") : tr("Show"));
        keyEdit->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password);
        // A stored key comes out of the keychain only when asked to be shown.
        if (on && keyEdit->text().isEmpty() && m_connections->keyState(platform) == ConnectionController::KeyState::Stored)
            m_connections->revealKey(platform, [keyEdit](const QString &key) { keyEdit->setText(key); }, keyEdit);
    });
    connect(save, &QPushButton::clicked, this, [this, platform, keyEdit] {
        m_error->hide();
        m_connections->saveKey(platform, keyEdit->text());
    });
    connect(forget, &QPushButton::clicked, this, [this, platform, keyEdit] {
        m_error->hide();
        keyEdit->clear();
        m_connections->forgetKey(platform);
    });
    connect(p.test, &QPushButton::clicked, this, [this, platform, keyEdit] {
        m_error->hide();
        m_connections->testConnection(platform, keyEdit->text());
    });
    return p;
}

void ConnectionsPage::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
        event->accept();
        return;
    }
    QWizardPage::keyPressEvent(event);
}

void ConnectionsPage::initializePage()
{
    // The keychain is asked once per visit of the project, not at every project open.
    if (!m_keysRead) {
        m_keysRead = true;
        m_connections->refreshKeys();
    }
}

void ConnectionsPage::showPlatforms()
{
    const QList<TargetPlatform> shown = m_connections->platforms();
    for (auto it = m_panels.begin(); it != m_panels.end(); ++it)
        it->box->setVisible(shown.contains(it.key()));
}

void ConnectionsPage::showKeyState(TargetPlatform platform)
{
    const Panel &p = m_panels[platform];
    p.keyState->setText(m_connections->keyStateText(platform));
    const bool stored = m_connections->keyState(platform) == ConnectionController::KeyState::Stored;
    p.key->setPlaceholderText(!stored                           ? tr("Paste the API key")
                              : m_connections->usesDemoSandbox() ? tr("The demo sandbox's key (Show reveals it)")
                                                                 : tr("Stored in the keychain (Show reveals it)"));
}

void ConnectionsPage::showStatus(TargetPlatform platform)
{
    const Panel &p = m_panels[platform];
    const ConnectionStatus s = m_connections->status(platform);
    QString colour = QStringLiteral("#4a3b00");
    if (s.outcome == ConnectionStatus::Outcome::Connected)
        colour = QStringLiteral("#17612b");
    else if (s.outcome != ConnectionStatus::Outcome::Testing && s.outcome != ConnectionStatus::Outcome::Untested)
        colour = QStringLiteral("#a01010");
    QString html = QStringLiteral("<span style=\"color:%1\"><b>%2</b></span>").arg(colour, s.text.toHtmlEscaped());
    if (!s.hint.isEmpty())
        html += QStringLiteral("<br>") + s.hint.toHtmlEscaped();
    p.status->setText(html);
    p.status->setVisible(s.outcome != ConnectionStatus::Outcome::Untested);
    p.test->setEnabled(s.outcome != ConnectionStatus::Outcome::Testing);
}
