//! A rota server on a free local port for the gRPC tests, and the small things every one of them
//! asks of it: a client, a stored snapshot's id, the fields an `INVALID_ARGUMENT` names.

use rota::model::Snapshot;
use rota::service::convert::snapshot_to_proto;
use rota::service::proto as pb;
use rota::service::proto::rota_service_client::RotaServiceClient;
use rota::service::server::{self, Config};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::Channel;
use tonic_types::StatusExt;

/// A running server and the means to stop it.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), server::ServeError>>,
}

impl Server {
    /// A server with `config`, on a free port.
    pub async fn start(config: Config) -> Server {
        let state = server::state(&config).expect("state");
        Server::start_with_state(config, state).await
    }

    /// A server over a state the test holds (to fill the pool, say).
    pub async fn start_with_state(config: Config, state: rota::service::State) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server::run_with_state(listener, config, state, async {
            let _ = stopped.await;
        }));
        Server {
            url,
            stop: Some(stop),
            task,
        }
    }

    /// A client for it, allowed whole-city messages.
    pub async fn client(&self) -> RotaServiceClient<Channel> {
        RotaServiceClient::connect(self.url.clone())
            .await
            .expect("connect")
            .max_decoding_message_size(64 << 20)
            .max_encoding_message_size(64 << 20)
    }

    /// Graceful shutdown; returns when the server has stopped.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task
            .await
            .expect("server task")
            .expect("server stopped cleanly");
    }
}

/// Stores `snapshot` and returns its id.
pub async fn store(client: &mut RotaServiceClient<Channel>, snapshot: &Snapshot) -> String {
    client
        .put_snapshot(pb::PutSnapshotRequest {
            snapshot: Some(snapshot_to_proto(snapshot)),
        })
        .await
        .expect("stored")
        .into_inner()
        .info
        .expect("info")
        .snapshot_id
}

/// The field paths an `INVALID_ARGUMENT` names in its details.
pub fn fields(status: &tonic::Status) -> Vec<String> {
    status
        .get_details_bad_request()
        .map(|b| b.field_violations.into_iter().map(|v| v.field).collect())
        .unwrap_or_default()
}
