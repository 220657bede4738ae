package swinserve

import (
	"context"

	"google.golang.org/grpc/health/grpc_health_v1"

	swinservev1 "swinserve.dev/go/api/swinserve/v1"
)

// These calls go to the endpoint round robin picks, with the call deadline (ctx's, else the
// client's default), and are neither retried nor counted by the breakers: they inspect and
// steer the server rather than serve traffic.

// Models lists every model the server's repository holds, with each version's state, labels
// and default version.
func (c *Client) Models(ctx context.Context) ([]*swinservev1.ModelStatus, error) {
	ctx, cancel := c.withCallDeadline(ctx)
	defer cancel()
	response, err := swinservev1.NewModelServiceClient(c.endpoints.pick().conn).
		ListModels(ctx, &swinservev1.ListModelsRequest{})
	if err != nil {
		return nil, err
	}
	return response.GetModels(), nil
}

// SetLabel points label of model at version and returns the model's new status. Run-time
// labels win over the model's config file until the server restarts.
func (c *Client) SetLabel(ctx context.Context, model, label string, version int64) (*swinservev1.ModelStatus, error) {
	ctx, cancel := c.withCallDeadline(ctx)
	defer cancel()
	return swinservev1.NewModelServiceClient(c.endpoints.pick().conn).
		SetLabel(ctx, &swinservev1.SetLabelRequest{Model: model, Label: label, Version: version})
}

// Health asks the standard grpc.health.v1 service about service ("" for the whole server).
func (c *Client) Health(ctx context.Context, service string) (grpc_health_v1.HealthCheckResponse_ServingStatus, error) {
	ctx, cancel := c.withCallDeadline(ctx)
	defer cancel()
	response, err := grpc_health_v1.NewHealthClient(c.endpoints.pick().conn).
		Check(ctx, &grpc_health_v1.HealthCheckRequest{Service: service})
	if err != nil {
		return grpc_health_v1.HealthCheckResponse_UNKNOWN, err
	}
	return response.GetStatus(), nil
}
