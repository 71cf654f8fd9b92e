#include "startpage.h"

#include "store/recentprojects.h"

#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

StartPage::StartPage(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("startPage"));
    auto *outer = new QHBoxLayout(this);
    outer->addStretch(1);
    auto *layout = new QVBoxLayout;
    outer->addLayout(layout, 3);
    outer->addStretch(1);

    layout->addStretch(1);
    auto *title = new QLabel(tr("<h1>Stagecoach</h1><p>Move your email marketing from one platform to another "
                                "in stages: assess what you have, plan, transfer in waves with suppressions "
                                "first, and check every stage before the next.</p>"),
                             this);
    title->setWordWrap(true);
    layout->addWidget(title);

    auto *buttons = new QHBoxLayout;
    auto *newButton = new QPushButton(tr("New Migration Project..."), this);
    newButton->setObjectName(QStringLiteral("newProjectButton"));
    auto *openButton = new QPushButton(tr("Open Project..."), this);
    openButton->setObjectName(QStringLiteral("openProjectButton"));
    auto *demoButton = new QPushButton(tr("Open the Demo Project"), this);
    demoButton->setObjectName(QStringLiteral("openDemoButton"));
    demoButton->setToolTip(tr("A fictional company's Mailchimp audience, to rehearse the wizard without an account."));
    buttons->addWidget(newButton);
    buttons->addWidget(openButton);
    buttons->addWidget(demoButton);
    buttons->addStretch();
    layout->addLayout(buttons);

    layout->addSpacing(16);
    layout->addWidget(new QLabel(tr("<b>Recent projects</b>"), this));
    m_recent = new QListWidget(this);
    m_recent->setObjectName(QStringLiteral("recentList"));
    m_recent->setMaximumHeight(180);
    layout->addWidget(m_recent);
    layout->addStretch(2);

    connect(newButton, &QPushButton::clicked, this, &StartPage::newProjectRequested);
    connect(openButton, &QPushButton::clicked, this, &StartPage::openProjectRequested);
    connect(demoButton, &QPushButton::clicked, this, &StartPage::demoRequested);
    connect(m_recent, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { Q_EMIT recentRequested(item->data(Qt::UserRole).toString()); });
    refreshRecent();
}

void StartPage::refreshRecent()
{
    m_recent->clear();
    for (const QString &path : RecentProjects::list()) {
        auto *item = new QListWidgetItem(QStringLiteral("%1   \u2014   %2").arg(QFileInfo(path).completeBaseName(), path), m_recent);
        item->setData(Qt::UserRole, path);
    }
    if (m_recent->count() == 0) {
        auto *item = new QListWidgetItem(tr("No recent projects"), m_recent);
        item->setFlags(Qt::NoItemFlags);
    }
}
