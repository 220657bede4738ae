// Command first classifies image files with a swinserve server and prints the best classes:
//
//	go run ./examples/first -target localhost:8500 -model swinv2-tiny cat.jpg dog.png
//
// Over mutual TLS: add -tls-ca ca.crt -tls-cert client.crt -tls-key client.key.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"time"

	"swinserve.dev/go/swinserve"
)

func main() {
	target := flag.String("target", "localhost:8500", "host:port of the server, or h1:p1,h2:p2")
	model := flag.String("model", "swinv2-tiny", "the model to ask")
	topK := flag.Int("top-k", 5, "classes per image")
	var tls swinserve.TLSConfig
	flag.StringVar(&tls.TrustedCAs, "tls-ca", "", "speak TLS, trusting these CAs (PEM)")
	flag.StringVar(&tls.CertChain, "tls-cert", "", "speak mutual TLS with this certificate chain (PEM)")
	flag.StringVar(&tls.PrivateKey, "tls-key", "", "and this key (PEM)")
	flag.Parse()
	if flag.NArg() == 0 {
		log.Fatal("usage: first [-target host:port] [-model name] [-tls-ca ca.crt [-tls-cert c.crt -tls-key c.key]] IMAGE...")
	}

	var options []swinserve.Option
	if tls != (swinserve.TLSConfig{}) {
		options = append(options, swinserve.WithTLS(tls))
	}
	client, err := swinserve.New(*target, options...)
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	var images []*swinserve.Image
	for _, path := range flag.Args() {
		image, err := swinserve.ImageFile(path)
		if err != nil {
			log.Fatal(err)
		}
		images = append(images, image)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	response, err := client.Classify(ctx, swinserve.Model(*model), images, swinserve.WithTopK(*topK))
	if err != nil {
		log.Fatal(err) // a gRPC status: status.Code(err) says which
	}
	for i, classification := range response.GetClassifications() {
		fmt.Printf("%s (model %s version %d)\n", flag.Arg(i), response.GetModel().GetName(), response.GetModel().GetVersion())
		for _, class := range classification.GetClasses() {
			fmt.Printf("  %-24s %.4f\n", class.GetLabel(), class.GetScore())
		}
	}
}
