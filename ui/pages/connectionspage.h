#pragma once

#include "connectors/targetplatform.h"

#include <QHash>
#include <QWizardPage>

class ConnectionController;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;

/**
 * Connections: one panel per platform (Mailchimp, the source, and the target) with its API key
 * (kept in the system keychain only), an optional API address for the sandbox and a connection
 * test that names the account.
 */
class ConnectionsPage : public QWizardPage
{
    Q_OBJECT

public:
    explicit ConnectionsPage(ConnectionController *connections, QWidget *parent = nullptr);

    void initializePage() override;

protected:
    /// Return in a key or address field saves that field; it does not move the wizard on.
    void keyPressEvent(QKeyEvent *event) override;

private:
    struct Panel
    {
        QGroupBox *box = nullptr;
        QLineEdit *key = nullptr;
        QPushButton *show = nullptr;
        QLabel *dataCenter = nullptr;
        QLabel *keyState = nullptr;
        QPushButton *test = nullptr;
        QLabel *status = nullptr;
        QGroupBox *advanced = nullptr;
        QLineEdit *baseUrl = nullptr;
    };
    Panel makePanel(TargetPlatform platform);
    void showPlatforms();
    void showKeyState(TargetPlatform platform);
    void showStatus(TargetPlatform platform);

    ConnectionController *m_connections;
    QHash<TargetPlatform, Panel> m_panels;
    QLabel *m_error;
    bool m_keysRead = false;
};
